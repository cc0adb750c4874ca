/**
 * Device choice for the ONNX engines: `cpu`, `cuda`, `webgpu`, or `auto` (the first that works, in that order of
 * preference: cuda, webgpu, cpu). A GPU provider is probed in a child process first, so a provider library that
 * crashes while loading cannot take the run down; an explicit choice that fails is a DeviceError (exit 2), never a
 * silent fall back to the CPU.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { DeviceChoice, OnnxDevice } from '../core/choices.js';
import { DeviceError } from '../core/errors.js';


export interface DeviceDecision {
  device: OnnxDevice;
  /** Why each better device was passed over (`auto` only), e.g. "cuda: provider library not installed". */
  skipped: string[];
}

/** Longest a provider probe may take (loading CUDA libraries can be slow). */
export const PROBE_TIMEOUT_MS = 60_000;

/** Folder of onnxruntime-node's native binaries for this platform. */
export function ortBinDir(): string {
  const require = createRequire(import.meta.url);
  const pkg = path.dirname(require.resolve('onnxruntime-node/package.json'));
  return path.join(pkg, 'bin', 'napi-v6', os.platform(), os.arch());
}

const CUDA_FIX =
  'Install CUDA 12 and cuDNN 9, then fetch the CUDA provider online: `node node_modules/onnxruntime-node/script/install --onnxruntime-node-install=cuda12`; or run with --device cpu.';
const WEBGPU_FIX = 'Install a Vulkan driver for your GPU (libvulkan1 and the vendor ICD); or run with --device cpu.';

/** A reason the provider cannot work here, found without loading it; null when it is worth probing. */
export function staticCheck(device: OnnxDevice): string | null {
  if (device === 'cpu') return null;
  if (device === 'cuda') {
    if (os.platform() !== 'linux' && os.platform() !== 'win32') return `the CUDA provider is not built for ${os.platform()}`;
    const lib = os.platform() === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so';
    let dir: string;
    try {
      dir = ortBinDir();
    } catch {
      return 'onnxruntime-node is not installed';
    }
    if (!existsSync(path.join(dir, lib))) {
      return `the CUDA execution provider library ${lib} is not installed in ${dir} (offline installs skip it)`;
    }
    return null;
  }
  return null;
}

/**
 * A GPU device node of this machine (a DRI render node or /dev/nvidia0), or null. `auto` only probes GPU providers
 * then: a software Vulkan is no gain.
 */
export function gpuDeviceNode(): string | null {
  try {
    const render = readdirSync('/dev/dri').find((f) => f.startsWith('renderD'));
    if (render) return `/dev/dri/${render}`;
  } catch {
    /* no DRI */
  }
  return existsSync('/dev/nvidia0') ? '/dev/nvidia0' : null;
}

function hasGpuNode(): boolean {
  return gpuDeviceNode() !== null;
}

/**
 * Creates a session with the provider on `modelPath` in a child process and runs it once.
 * Resolves null when it works, else the reason (exit status, signal or the provider's own message).
 */
export function probeProvider(device: OnnxDevice, modelPath: string, timeoutMs = PROBE_TIMEOUT_MS): Promise<string | null> {
  const require = createRequire(import.meta.url);
  const ortEntry = require.resolve('onnxruntime-node');
  const script = `
const ort = require(${JSON.stringify(ortEntry)});
(async () => {
  const s = await ort.InferenceSession.create(${JSON.stringify(modelPath)}, { executionProviders: [${JSON.stringify(device)}], logSeverityLevel: 3 });
  const x = new ort.Tensor('float32', new Float32Array(3 * 48 * 192), [1, 3, 48, 192]);
  await s.run({ [s.inputNames[0]]: x });
  process.stdout.write('ok');
})().catch((e) => { process.stderr.write(String(e && e.message || e)); process.exit(3); });`;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', (e) => resolve(`probe could not start: ${e.message}`));
    child.on('close', (code, signal) => {
      if (code === 0 && out === 'ok') return resolve(null);
      // The provider's own last words, without native stack frames ("at operator() (…)").
      const lines = err.split('\n').map((l) => l.trim()).filter((l) => l && !/^at\s/.test(l));
      const msg = (lines[lines.length - 1] ?? '').replace(/^.*?(Failed|Error|error)/, '$1').slice(0, 300);
      if (signal) return resolve(`the ${device} provider crashed the probe (${signal})${msg ? `: ${msg}` : ''}`);
      resolve(msg || `the ${device} provider probe exited with status ${code}`);
    });
  });
}

const decided = new Map<string, Promise<DeviceDecision>>();

/**
 * Picks the device for ONNX sessions (cached per choice for the process).
 * @param probeModel a small model file used to test the provider end to end (the angle classifier)
 * @throws DeviceError when an explicitly requested device cannot run, with the reason and a fix line.
 */
export function resolveDevice(choice: DeviceChoice, probeModel: string): Promise<DeviceDecision> {
  const key = `${choice}\0${probeModel}`;
  let p = decided.get(key);
  if (!p) {
    p = decide(choice, probeModel);
    decided.set(key, p);
    p.catch(() => decided.delete(key));
  }
  return p;
}

async function decide(choice: DeviceChoice, probeModel: string): Promise<DeviceDecision> {
  if (choice === 'cpu') return { device: 'cpu', skipped: [] };
  if (choice === 'cuda' || choice === 'webgpu') {
    const reason = staticCheck(choice) ?? (await probeProvider(choice, probeModel));
    if (reason) {
      throw new DeviceError(`--device ${choice} cannot run here: ${reason}`, { hint: choice === 'cuda' ? CUDA_FIX : WEBGPU_FIX });
    }
    return { device: choice, skipped: [] };
  }
  const skipped: string[] = [];
  const cuda = staticCheck('cuda') ?? (hasGpuNode() ? await probeProvider('cuda', probeModel) : 'no GPU device node');
  if (!cuda) return { device: 'cuda', skipped };
  skipped.push(`cuda: ${cuda}`);
  const webgpu = hasGpuNode() ? await probeProvider('webgpu', probeModel) : 'no GPU device node';
  if (!webgpu) return { device: 'webgpu', skipped };
  skipped.push(`webgpu: ${webgpu}`);
  return { device: 'cpu', skipped };
}
