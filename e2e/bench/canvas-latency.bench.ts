import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import sharp from 'sharp';
import { StudioPage } from '../support/studio-page';
import { TranslatePage } from '../support/translate-page';
import { serveStudio, type ServedStudio } from '../support/web-host';
import { cpuSince, machineTicks, processCpu, stealSince } from './process-cpu';

// `npm run bench:canvas`: stroke end → updated result on the Translate canvas, through the web
// host in Chromium, with a pix2pix U-Net export of BENCH_SIZE px (256) for each generator width
// in BENCH_NGF (32,64) and each way of drawing in BENCH_INPUT (hand,mouse), over BENCH_STROKES
// strokes (30). The export is trained for one step: latency does not depend on the weights. The
// load average, each process's CPU time while drawing and the share the hypervisor stole are
// printed too: figures taken while something else loads the machine do not compare with quiet ones.
const size = Number(process.env.BENCH_SIZE ?? 256);
const widths = (process.env.BENCH_NGF ?? '32,64').split(',').map(Number);
const strokes = Number(process.env.BENCH_STROKES ?? 30);
const inputs = (process.env.BENCH_INPUT ?? 'hand,mouse').split(',') as Input[];

/**
 * How strokes reach the page: `hand` moves the pointer inside the page at a person's pace (60
 * events a second, 500 px a second), as a pen or mouse does, and waits for the result there,
 * with nothing outside the browser at work; `mouse` drives Playwright's mouse, each move a round
 * trip from the test process, which loads the two cores far more than a hand does, and polls
 * the status line from the test process.
 */
type Input = 'hand' | 'mouse';

/** The page's globals a hand stroke uses (the e2e code is compiled without the DOM's types). */
interface HandGlobals {
  document: {
    querySelector(selector: string): {
      getBoundingClientRect(): { left: number; top: number };
      dispatchEvent(event: unknown): boolean;
      getAttribute(name: string): string | null;
    } | null;
  };
  PointerEvent: new (type: string, init: Record<string, unknown>) => unknown;
  MutationObserver: new (cb: () => void) => {
    observe(target: unknown, o: { attributes: boolean }): void;
    disconnect(): void;
  };
  Konva: { stages: { scaleX(): number; x(): number; y(): number }[] };
}

/**
 * Draws a stroke through image points inside the page at a person's pace, and waits there, not
 * polling from the test process, until the canvas has timed `strokes` strokes: nothing outside
 * the page runs between pen-up and the result.
 */
async function handStroke(page: Page, points: [number, number][], strokes: number): Promise<void> {
  await page.evaluate(
    async ([path, count]) => {
      const g = globalThis as unknown as HandGlobals;
      const element = g.document.querySelector('[data-testid="canvas.stage"]')!;
      const stage = g.Konva.stages[0]!;
      const box = element.getBoundingClientRect();
      const screen = ([x, y]: [number, number]) => ({
        clientX: box.left + stage.x() + x * stage.scaleX(),
        clientY: box.top + stage.y() + y * stage.scaleX(),
      });
      const send = (type: string, at: [number, number], buttons: number) =>
        element.dispatchEvent(
          new g.PointerEvent(type, {
            ...screen(at),
            button: 0,
            buttons,
            pointerId: 1,
            pointerType: 'mouse',
            bubbles: true,
          }),
        );
      const pace = 500 / 60;
      send('pointerdown', path[0]!, 1);
      for (let i = 1; i < path.length; i += 1) {
        const [x0, y0] = path[i - 1]!;
        const [x1, y1] = path[i]!;
        const steps = Math.max(1, Math.round(Math.hypot(x1 - x0, y1 - y0) / pace));
        for (let k = 1; k <= steps; k += 1) {
          await new Promise((resolve) => setTimeout(resolve, 1000 / 60));
          send('pointermove', [x0 + ((x1 - x0) * k) / steps, y0 + ((y1 - y0) * k) / steps], 1);
        }
      }
      send('pointerup', path.at(-1)!, 0);
      const status = g.document.querySelector('[data-testid="translate.status"]')!;
      const timed = () => Number(status.getAttribute('data-live-count')) >= count;
      if (timed()) return;
      await new Promise<void>((resolve) => {
        const observer = new g.MutationObserver(() => {
          if (!timed()) return;
          observer.disconnect();
          resolve();
        });
        observer.observe(status, { attributes: true });
      });
    },
    [points, strokes] as const,
  );
}

test.use({ viewport: { width: 1280, height: 900 } });

/** Runs `ganstudio <args> --json` on a data directory and returns its last JSON line. */
function ganstudio(home: string, args: string[]): Record<string, unknown> {
  const run = spawnSync(process.execPath, ['bin/ganstudio.js', ...args, '--json'], {
    encoding: 'utf8',
    env: { ...process.env, GANSTUDIO_HOME: home },
  });
  const last = (run.stdout ?? '').trim().split('\n').at(-1) ?? '';
  if (run.status !== 0) throw new Error(`ganstudio ${args.join(' ')} failed: ${last || run.stderr}`);
  return JSON.parse(last) as Record<string, unknown>;
}

/** A few colourful photos of `side` px in a folder, for edges→photo pairs. */
async function writePhotos(dir: string, side: number): Promise<void> {
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < 4; i += 1) {
    const rgb = Buffer.alloc(side * side * 3);
    for (let y = 0; y < side; y += 1)
      for (let x = 0; x < side; x += 1) {
        const o = (y * side + x) * 3;
        rgb[o] = (x * (i + 1) * 3) % 256;
        rgb[o + 1] = (y * 2 + i * 40) % 256;
        rgb[o + 2] = ((x ^ y) + i * 60) % 256;
      }
    await sharp(rgb, { raw: { width: side, height: side, channels: 3 } })
      .png()
      .toFile(join(dir, `photo-${i}.png`));
  }
}

/** Trains a pix2pix of `ngf` for one step, exports it and imports it into the CLI's project. */
function prepareModel(home: string, photos: string, ngf: number): Record<string, unknown> {
  const run = join(home, `run-ngf${ngf}`);
  const model = join(home, `unet${size}-ngf${ngf}.onnx`);
  ganstudio(home, [
    'train',
    'pix2pix',
    '--data',
    photos,
    '--derive',
    'edges2photo',
    '--size',
    String(size),
    '--steps',
    '1',
    '--ngf',
    String(ngf),
    '--out',
    run,
  ]);
  ganstudio(home, ['export', run, '--out', model]);
  return ganstudio(home, ['import', model, '--name', `unet${size}-ngf${ngf}`]);
}

/** The value below which a fraction of the figures lie (nearest rank, as the canvas's p95). */
function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.max(0, Math.ceil(fraction * sorted.length) - 1)]!;
}

function median(values: number[]): number {
  return percentile(values, 0.5);
}

for (const [ngf, input] of widths.flatMap((w) => inputs.map((i) => [w, i] as const))) {
  test(`stroke end → result on the Translate canvas, pix2pix U-Net ${size} px, ngf ${ngf}, ${input} strokes`, async ({
    page,
  }) => {
    const home = mkdtempSync(join(tmpdir(), 'ganstudio-bench-canvas-'));
    let served: ServedStudio | null = null;
    try {
      await writePhotos(join(home, 'photos'), size);
      const imported = prepareModel(home, join(home, 'photos'), ngf);
      console.log(`export: ${imported.latencyMs} ms per image in ONNX Runtime (${imported.provider})`);
      served = await serveStudio(home);
      const loadBefore = loadavg()[0]!;
      await page.goto(served.url);
      const studio = new StudioPage(page);
      await studio.ready();
      await studio.items.filter({ hasText: 'Command line' }).click();
      await page.getByTestId('panel.canvas').click();
      const translate = new TranslatePage(page);
      await expect(page.getByTestId('canvas.panel')).toHaveAttribute('data-mode', 'translate');
      await translate.nextResult(0);
      // The preview worker opens the model once the first result is in: strokes start after it.
      await page.waitForTimeout(3000);

      const cpuBefore = processCpu();
      const ticksBefore = machineTicks();
      const drawStart = Date.now();
      const figures: number[] = [];
      const engine: number[] = [];
      const model: number[] = [];
      for (let i = 0; i < strokes; i += 1) {
        const y = 20 + ((i * 23) % (size - 40));
        const x = 16 + (i % 5) * 8;
        const path: [number, number][] = [
          [x, y],
          [x + size / 3, y + 12],
          [size - 20 - (i % 7) * 6, y + 4],
        ];
        if (input === 'hand') await handStroke(page, path, i + 1);
        else await translate.stroke(path);
        await translate.strokeResult(i + 1);
        figures.push(await translate.liveMs());
        engine.push(Number(await translate.status.getAttribute('data-engine-ms')));
        model.push(Number(await translate.status.getAttribute('data-model-ms')));
      }
      const cpu = cpuSince(cpuBefore);
      const steal = stealSince(ticksBefore);
      const line = {
        case: `canvas-translate-unet${size}-ngf${ngf}-${input}`,
        strokes: figures.length,
        stroke_to_result_median_ms: median(figures),
        stroke_to_result_p95_ms: percentile(figures, 0.95),
        engine_median_ms: median(engine),
        model_median_ms: median(model),
        cores: availableParallelism(),
        load_average: [loadBefore, loadavg()[0]!].map((l) => Math.round(l * 100) / 100),
        drawing_seconds: (Date.now() - drawStart) / 1000,
        cpu_seconds: cpu,
        steal_share: steal,
      };
      console.log(JSON.stringify(line));
      if (cpu) console.log(`CPU seconds in ${line.drawing_seconds} s of drawing: ${JSON.stringify(cpu)}`);
      console.log(
        `${line.case}: stroke end → result drawn median ${line.stroke_to_result_median_ms} ms, p95 ${line.stroke_to_result_p95_ms} ms over ${line.strokes} strokes; engine ${line.engine_median_ms} ms of it (model alone ${line.model_median_ms} ms), ${line.cores} cores, load average ${line.load_average.join(' → ')}, ${steal === null ? 'steal unknown' : `${Math.round(steal * 100)} % of the CPU stolen by the hypervisor`}`,
      );
      await page.screenshot({ path: test.info().outputPath(`canvas-ngf${ngf}-${input}.png`) });
    } finally {
      await served?.stop();
      rmSync(home, { recursive: true, force: true });
    }
  });
}
