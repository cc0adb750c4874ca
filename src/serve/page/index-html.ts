/**
 * The upload page's markup and styles (served at `/`); its script is `app.js` beside this file, plain browser
 * JavaScript that tsc copies into dist/ (allowJs), so the shipped package holds both as .js files.
 */
export const INDEX_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>zakocr — scan</title>
<style>
  :root { font-family: system-ui, sans-serif; color: #1d2327; background: #f4f5f7; }
  body { margin: 0 auto; max-width: 1100px; padding: 1rem; }
  header { display: flex; gap: 1rem; align-items: center; flex-wrap: wrap; }
  h1 { font-size: 1.3rem; margin: 0; }
  label { font-size: .9rem; }
  input, select { font: inherit; padding: .25rem .4rem; }
  #drop { margin: 1rem 0; border: 2px dashed #8a94a0; border-radius: 8px; padding: 2rem; text-align: center; background: #fff; cursor: pointer; }
  #drop.over { border-color: #0a66c2; background: #eef5fc; }
  .card { background: #fff; border-radius: 8px; padding: 1rem; margin-bottom: 1rem; box-shadow: 0 1px 3px rgba(0,0,0,.12); display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 1rem; }
  .card h2 { grid-column: 1 / -1; font-size: 1rem; margin: 0; display: flex; gap: .6rem; align-items: center; }
  .status { font-size: .8rem; padding: .1rem .5rem; border-radius: 1rem; background: #ddd; }
  .status.ok { background: #c8f0d0; } .status.needs_review { background: #fde8b0; } .status.failed, .status.error { background: #f8c6c6; }
  canvas { max-width: 100%; border: 1px solid #ddd; }
  table { border-collapse: collapse; width: 100%; font-size: .9rem; }
  td, th { border-bottom: 1px solid #eee; padding: .2rem .4rem; text-align: left; vertical-align: top; }
  pre { white-space: pre-wrap; background: #f7f7f9; padding: .5rem; font-size: .85rem; margin: 0; }
  .muted { color: #69727d; font-size: .85rem; }
</style>
</head>
<body>
<header>
  <h1>zakocr scan</h1>
  <label>API key <input id="key" type="password" autocomplete="off" placeholder="Bearer key or token"></label>
  <label>Language <select id="lang"><option value="">server default</option><option>eng</option><option>ben</option><option>eng+ben</option></select></label>
  <label><input id="barcodes" type="checkbox" checked> barcodes</label>
</header>
<div id="drop" tabindex="0">Drop images or PDFs here, or click to choose<input id="files" type="file" multiple accept="image/*,application/pdf" hidden></div>
<p class="muted">Each file is sent to <code>POST /v1/scan</code>; the record's fields, barcodes and text are shown with the line boxes drawn on the image.</p>
<main id="results"></main>
<script type="module" src="/app.js"></script>
</body>
</html>
`;
