import type { AppInfo } from '../../../preload/contract';
import type { Output } from '../output';

/** `ganstudio info`: versions, data directory, training backends and inference providers. */
export function printInfo(info: AppInfo, out: Output): void {
  const mark = (ok: boolean): string => (ok ? 'yes' : 'no ');
  const lines = [
    `GAN Studio ${info.version} (${info.platform}, node ${info.versions.node})`,
    `data directory: ${info.dataDir}`,
    'training backends (tried in this order):',
    ...info.trainingBackends.map((b) => `  ${mark(b.available)} ${b.name.padEnd(5)} ${b.label}: ${b.detail}`),
    'inference providers (tried in this order):',
    ...info.inferenceProviders.map((p) => `  ${mark(p.available)} ${p.name.padEnd(6)} ${p.detail}`),
    ...info.notices.map((n) => `${n.level}: ${n.message}`),
  ];
  out.result(info, lines.join('\n'));
}
