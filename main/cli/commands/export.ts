import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { ModelHost } from '../../engine/inference/model-host';
import { checkpointOf } from './checkpoint-target';
import type { Output } from '../output';
import { UsageError } from '../output';

/**
 * `ganstudio export <runDir|checkpoint> --out <model.onnx>`: emits the generator to ONNX in the
 * model worker, checks parity with tfjs (refused above the tolerance) and prints the figure,
 * the latency and the provider.
 */
export async function exportModel(
  models: ModelHost,
  target: string,
  options: { out: string; direction?: string },
  out: Output,
): Promise<void> {
  const checkpoint = checkpointOf(target);
  const file = resolve(options.out);
  if (!existsSync(dirname(file))) throw new UsageError(`The folder ${dirname(file)} does not exist.`);
  const result = await models.run(
    { kind: 'export', checkpoint, out: file, direction: options.direction },
    { onProgress: (p) => p.done < p.total && out.event({ event: 'progress', ...p }, `${p.stage}…`) },
  );
  const d = result.description;
  const bundle = result.companions
    ? `\nLatent bundle: the generator (code of ${d.codeInput?.nz} → ${d.width}×${d.height} image; parity ${Number(d.metadata.parity_max_abs).toExponential(2)}), the encoder ${result.companions[0]} (parity ${result.encoderParityMaxAbs?.toExponential(2)}) and the weights ${result.companions[1]} for the latent editor.`
    : '';
  out.result(
    {
      path: result.path,
      bytes: result.bytes,
      sha256: result.sha256,
      parityMaxAbs: result.parityMaxAbs,
      latencyMs: d.latencyMs,
      provider: d.provider,
      kind: d.kind,
      size: [d.height, d.width],
      checkpoint,
      ...(result.companions
        ? {
            files: [result.path, ...result.companions],
            generatorParityMaxAbs: Number(d.metadata.parity_max_abs),
            encoderParityMaxAbs: result.encoderParityMaxAbs,
            nz: d.codeInput?.nz,
          }
        : {}),
    },
    `Exported ${d.kind}${d.metadata.direction && d.kind === 'cyclegan' ? ` ${d.metadata.direction === 'BtoA' ? 'B→A' : 'A→B'}` : ''} (${d.width}×${d.height}, ${d.inChannels}→${d.outChannels} channels) to ${result.path} (${(result.bytes / 1e6).toFixed(1)} MB): parity max abs diff ${result.parityMaxAbs.toExponential(2)} (limit 1e-4), ${d.latencyMs?.toFixed(1)} ms per ${d.codeInput ? 'sample' : 'image'} on ${d.provider}.${bundle}`,
  );
}
