import { createReadStream, existsSync } from 'node:fs';
import { appendFile, mkdir, open as openFile } from 'node:fs/promises';
import path from 'node:path';
import readline from 'node:readline';

/** One line of the run manifest: a file all of whose records every sink acknowledged. */
export interface ManifestEntry {
  sha256: string;
  pipelineVersion: string;
  file: string;
  pages: number;
  status: string;
  runId: string;
  at: string;
  /** Absolute path when written: `--resume` recognises the file from any working directory. */
  absPath?: string;
}

export const MANIFEST_NAME = '.zakocr-manifest.jsonl';

/** Where the manifest lives: the configured path, else beside the first output file, else the cwd. */
export function manifestPath(configured: string | null, outputs: string[], cwd = process.cwd()): string {
  if (configured) return path.resolve(cwd, configured);
  const firstFile = outputs.find((o) => o !== '-');
  return path.join(firstFile ? path.dirname(path.resolve(cwd, firstFile)) : cwd, MANIFEST_NAME);
}

/**
 * The append-only run manifest (JSON Lines). `--resume` skips files whose (sha256, pipelineVersion)
 * is recorded; a torn last line after a crash is ignored.
 */
export class RunManifest {
  /** (sha256|pipelineVersion) → the paths done with that content: identical copies under other names are separate files. */
  private done = new Map<string, { files: Set<string>; abs: Set<string> }>();
  /** The file ends in a torn line (a crash mid-append): the next append starts a new line. */
  private torn = false;

  private constructor(readonly file: string) {}

  static async open(file: string, load: boolean): Promise<RunManifest> {
    const m = new RunManifest(file);
    await mkdir(path.dirname(file), { recursive: true });
    m.torn = await endsTorn(file);
    if (load && existsSync(file)) {
      const rl = readline.createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
      for await (const line of rl) {
        if (!line.trim()) continue;
        try {
          const e = JSON.parse(line) as ManifestEntry;
          if (e.sha256 && e.pipelineVersion) m.add(e);
        } catch {
          /* torn line from an interrupted write */
        }
      }
    }
    return m;
  }

  private add(e: ManifestEntry): void {
    const key = `${e.sha256}|${e.pipelineVersion}`;
    let slot = this.done.get(key);
    if (!slot) this.done.set(key, (slot = { files: new Set(), abs: new Set() }));
    if (e.file) slot.files.add(e.file);
    if (e.absPath) slot.abs.add(e.absPath);
  }

  /** Whether this content is done; with `file`, done under that path as recorded (the path in its records). */
  isDone(sha256: string, pipelineVersion: string, file?: string): boolean {
    const slot = this.done.get(`${sha256}|${pipelineVersion}`);
    return slot !== undefined && (file === undefined || slot.files.has(file));
  }

  /**
   * Whether the file at `absPath` with this content is done. A copy of a done file under another path is not:
   * skipping it would leave it without a record. Entries written without `absPath` match on content alone.
   */
  isDoneAt(sha256: string, pipelineVersion: string, absPath: string): boolean {
    const slot = this.done.get(`${sha256}|${pipelineVersion}`);
    return slot !== undefined && (slot.abs.size === 0 || slot.abs.has(absPath));
  }

  get size(): number {
    return this.done.size;
  }

  async append(entries: ManifestEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await appendFile(this.file, (this.torn ? '\n' : '') + entries.map((e) => JSON.stringify(e)).join('\n') + '\n', 'utf8');
    this.torn = false;
    for (const e of entries) this.add(e);
  }
}

/** Whether a non-empty file lacks its final newline. */
async function endsTorn(file: string): Promise<boolean> {
  if (!existsSync(file)) return false;
  const handle = await openFile(file, 'r');
  try {
    const { size } = await handle.stat();
    if (size === 0) return false;
    const last = Buffer.alloc(1);
    await handle.read(last, 0, 1, size - 1);
    return last[0] !== 0x0a;
  } finally {
    await handle.close();
  }
}
