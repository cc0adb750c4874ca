// The upload page of `zakocr serve`: the reference for a Next.js/React Native integration (plain fetch, no build).
const $ = (id) => document.getElementById(id);
const keyInput = $('key');
keyInput.value = sessionStorage.getItem('zakocr.key') ?? '';
keyInput.addEventListener('change', () => sessionStorage.setItem('zakocr.key', keyInput.value));

const drop = $('drop');
const picker = $('files');
drop.addEventListener('click', () => picker.click());
drop.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') picker.click(); });
drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (e) => { e.preventDefault(); drop.classList.remove('over'); scanAll(e.dataTransfer.files); });
picker.addEventListener('change', () => { scanAll(picker.files); picker.value = ''; });

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}

async function scanAll(files) {
  // One request per file, two at a time: the server queues the rest itself, but a browser tab should not flood it.
  const list = [...files];
  const next = async () => { while (list.length) await scanOne(list.shift()); };
  await Promise.all([next(), next()]);
}

async function scanOne(file) {
  const card = el('section', { class: 'card', 'data-file': file.name });
  const status = el('span', { class: 'status' }, 'scanning…');
  card.append(el('h2', {}, file.name, status));
  $('results').prepend(card);
  const params = new URLSearchParams();
  if ($('lang').value) params.set('lang', $('lang').value);
  if (!$('barcodes').checked) params.set('barcodes', 'false');
  const form = new FormData();
  form.append('file', file, file.name);
  const headers = keyInput.value ? { Authorization: `Bearer ${keyInput.value}` } : {};
  try {
    const res = await fetch(`/v1/scan?${params}`, { method: 'POST', body: form, headers });
    const body = await res.json();
    if (!body.record) {
      status.textContent = `${res.status} ${body.error?.code ?? 'error'}`;
      status.className = 'status error';
      card.append(el('pre', { class: 'error' }, body.error?.message ?? JSON.stringify(body)));
      return;
    }
    render(card, status, file, body.records ?? [body.record], res.status);
  } catch (err) {
    status.textContent = 'network error';
    status.className = 'status error';
    card.append(el('pre', {}, String(err)));
  }
}

function fieldText(f) {
  if (f == null) return '';
  if (Array.isArray(f)) return f.map(fieldText).join('; ');
  if (typeof f !== 'object') return String(f);
  const v = f.value ?? f.description ?? '';
  return [f.currency, v, f.unit].filter((x) => x != null && x !== '').join(' ') + (f.kind ? ` (${f.kind})` : '');
}

function render(card, status, file, records, httpStatus) {
  const first = records[0];
  status.textContent = httpStatus === 200 ? first.status : `${httpStatus} ${first.error?.code}`;
  status.className = `status ${first.status}`;
  const left = el('div');
  const right = el('div');
  card.append(left, right);
  if (file.type.startsWith('image/')) drawBoxes(left, file, records[0]);
  for (const r of records) {
    if (records.length > 1) right.append(el('h3', {}, `page ${r.page}`));
    if (r.error) right.append(el('pre', { class: 'error' }, `${r.error.code}: ${r.error.message}`));
    const fields = el('table', { class: 'fields' }, el('tr', {}, el('th', {}, 'field'), el('th', {}, 'value'), el('th', {}, 'confidence')));
    for (const [name, f] of Object.entries(r.fields ?? {})) {
      if (name === 'lineItems') continue;
      const conf = Array.isArray(f) ? '' : typeof f?.confidence === 'number' ? f.confidence.toFixed(2) : '';
      fields.append(el('tr', { 'data-field': name }, el('td', {}, name), el('td', { class: 'value' }, fieldText(f)), el('td', {}, conf)));
    }
    right.append(el('p', { class: 'muted' }, `${r.docType} · ${r.engine?.name} on ${r.engine?.device} · ${r.timingsMs?.total ?? '?'} ms`), fields);
    if (r.review?.length) right.append(el('p', { class: 'muted review' }, `needs review: ${r.review.join(', ')}`));
    if (r.fields?.lineItems?.length) {
      const items = el('table', { class: 'line-items' }, el('tr', {}, el('th', {}, 'item'), el('th', {}, 'qty'), el('th', {}, 'amount')));
      for (const li of r.fields.lineItems) items.append(el('tr', {}, el('td', {}, li.description), el('td', {}, li.quantity ?? ''), el('td', {}, li.amount ?? '')));
      right.append(el('h3', {}, 'Line items'), items);
    }
    if (r.barcodes?.length) {
      const codes = el('table', { class: 'barcodes' }, el('tr', {}, el('th', {}, 'format'), el('th', {}, 'text'), el('th', {}, 'valid')));
      for (const b of r.barcodes) codes.append(el('tr', {}, el('td', {}, b.format), el('td', {}, b.text), el('td', {}, b.valid === null ? '—' : b.valid ? 'yes' : 'no')));
      right.append(el('h3', {}, 'Barcodes'), codes);
    }
    right.append(el('h3', {}, 'Text'), el('pre', { class: 'text' }, r.text ?? ''));
  }
}

function drawBoxes(container, file, record) {
  const canvas = el('canvas', { class: 'preview' });
  container.append(canvas);
  const img = new Image();
  img.onload = () => {
    canvas.width = img.naturalWidth;
    canvas.height = img.naturalHeight;
    const g = canvas.getContext('2d');
    g.drawImage(img, 0, 0);
    g.lineWidth = Math.max(1, img.naturalWidth / 500);
    g.strokeStyle = '#0a66c2';
    for (const l of record.lines ?? []) g.strokeRect(...l.box);
    g.strokeStyle = '#c2410a';
    for (const b of record.barcodes ?? []) if (b.box) g.strokeRect(...b.box);
    URL.revokeObjectURL(img.src);
    canvas.dataset.boxes = String((record.lines ?? []).length);
  };
  img.src = URL.createObjectURL(file);
}
