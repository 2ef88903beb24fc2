import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, expect, test, type Page } from '@playwright/test';
import sharp from 'sharp';
import { StudioPage } from '../support/studio-page';
import { TranslatePage } from '../support/translate-page';
import { serveStudio, type ServedStudio } from '../support/web-host';
import { launchBareChromium } from './bare-chromium';
import { cpuSince, machineTicks, processCpu, stealSince } from './process-cpu';

// `npm run bench:canvas`: stroke end → updated result on the Translate canvas, through the web
// host in Chromium, with a pix2pix U-Net export of BENCH_SIZE px (256) for each generator width
// in BENCH_NGF (32,64) and each way of drawing in BENCH_INPUT (bare,hand,mouse), over BENCH_STROKES
// strokes (30). The export is trained for one step: latency does not depend on the weights. The
// load average, each process's CPU time while drawing and the share the hypervisor stole are
// printed too: figures taken while something else loads the machine do not compare with quiet ones.
const size = Number(process.env.BENCH_SIZE ?? 256);
const widths = (process.env.BENCH_NGF ?? '32,64').split(',').map(Number);
const strokes = Number(process.env.BENCH_STROKES ?? 30);
const inputs = (process.env.BENCH_INPUT ?? 'bare,hand,mouse').split(',') as Input[];

/**
 * How strokes reach the page: `hand` moves the pointer inside the page at a person's pace (60
 * events a second, 500 px a second), as a pen or mouse does, and waits for the result there;
 * `bare` does the same in a Chromium that no automation is attached to while it draws (see
 * `launchBareChromium`), as in a person's browser; `mouse` drives Playwright's mouse, each move a
 * round trip from the test process, which loads the two cores far more than a hand does, and
 * polls the status line from the test process.
 */
type Input = 'hand' | 'bare' | 'mouse';

/** The title the page takes once a `bare` run has drawn every stroke. */
const DONE_TITLE = 'ganstudio-bench-done';

/** One stroke's figures, as the status line gives them once its result is drawn. */
interface StrokeFigures {
  ms: number;
  engine: number;
  model: number;
}

/** The page's globals the stroke driver uses (the e2e code is compiled without the DOM's types). */
interface PageGlobals {
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
 * Runs in the page: draws each stroke through its image points at a person's pace and waits,
 * there, until the canvas has timed it (its stroke count reaches `from` plus the strokes drawn),
 * then reads the stroke's figures off the status line. Self-contained, so that it runs through
 * `page.evaluate` or as source text.
 */
async function drawStrokesInPage(o: { paths: [number, number][][]; from: number }): Promise<StrokeFigures[]> {
  const g = globalThis as unknown as PageGlobals;
  const element = g.document.querySelector('[data-testid="canvas.stage"]')!;
  const status = g.document.querySelector('[data-testid="translate.status"]')!;
  const stage = g.Konva.stages[0]!;
  const pace = 500 / 60;
  const figures: StrokeFigures[] = [];
  for (const [k, path] of o.paths.entries()) {
    const box = element.getBoundingClientRect();
    const send = (type: string, [x, y]: [number, number], buttons: number) =>
      element.dispatchEvent(
        new g.PointerEvent(type, {
          clientX: box.left + stage.x() + x * stage.scaleX(),
          clientY: box.top + stage.y() + y * stage.scaleX(),
          button: 0,
          buttons,
          pointerId: 1,
          pointerType: 'mouse',
          bubbles: true,
        }),
      );
    send('pointerdown', path[0]!, 1);
    for (let i = 1; i < path.length; i += 1) {
      const [x0, y0] = path[i - 1]!;
      const [x1, y1] = path[i]!;
      const steps = Math.max(1, Math.round(Math.hypot(x1 - x0, y1 - y0) / pace));
      for (let s = 1; s <= steps; s += 1) {
        await new Promise((resolve) => setTimeout(resolve, 1000 / 60));
        send('pointermove', [x0 + ((x1 - x0) * s) / steps, y0 + ((y1 - y0) * s) / steps], 1);
      }
    }
    send('pointerup', path.at(-1)!, 0);
    const timed = () => Number(status.getAttribute('data-live-count')) >= o.from + k + 1;
    if (!timed()) {
      await new Promise<void>((resolve) => {
        const observer = new g.MutationObserver(() => {
          if (!timed()) return;
          observer.disconnect();
          resolve();
        });
        observer.observe(status, { attributes: true });
      });
    }
    const read = (name: string) => Number(status.getAttribute(name));
    figures.push({ ms: read('data-live-ms'), engine: read('data-engine-ms'), model: read('data-model-ms') });
  }
  return figures;
}

/** The bench's strokes: three-point paths across the page, each a little apart from the last. */
function strokePaths(count: number): [number, number][][] {
  return Array.from({ length: count }, (_, i) => {
    const y = 20 + ((i * 23) % (size - 40));
    const x = 16 + (i % 5) * 8;
    return [
      [x, y],
      [x + size / 3, y + 12],
      [size - 20 - (i % 7) * 6, y + 4],
    ];
  });
}

/** Opens the studio at `url` on the Translate canvas with the imported model, and waits until it is warm. */
async function openCanvas(page: Page, url: string): Promise<TranslatePage> {
  await page.goto(url);
  const studio = new StudioPage(page);
  await studio.ready();
  await studio.items.filter({ hasText: 'Command line' }).click();
  await page.getByTestId('panel.canvas').click();
  const translate = new TranslatePage(page);
  await expect(page.getByTestId('canvas.panel')).toHaveAttribute('data-mode', 'translate');
  await translate.nextResult(0);
  // The preview worker opens the model once the first result is in: strokes start after it.
  await page.waitForTimeout(3000);
  return translate;
}

/**
 * Draws every stroke in a bare Chromium: Playwright sets the page up (its content the size of
 * `VIEWPORT`) and disconnects, the page draws on its own and says when it is done in its title
 * (read without attaching), `drawn` runs (the CPU figures are read while the browser still
 * runs), and Playwright reconnects to read the figures and take the screenshot.
 */
async function drawBare(
  url: string,
  paths: [number, number][][],
  screenshot: string,
  drawn: () => void,
): Promise<StrokeFigures[]> {
  const bare = await launchBareChromium(VIEWPORT);
  try {
    let browser = await chromium.connectOverCDP(bare.wsEndpoint);
    let page = browser.contexts()[0]!.pages()[0]!;
    const cdp = await page.context().newCDPSession(page);
    const inner = await page.evaluate(() => {
      const g = globalThis as unknown as { innerWidth: number; innerHeight: number };
      return [g.innerWidth, g.innerHeight] as const;
    });
    const { windowId } = (await cdp.send('Browser.getWindowForTarget')) as { windowId: number };
    await cdp.send('Browser.setWindowBounds', {
      windowId,
      bounds: { width: 2 * VIEWPORT.width - inner[0], height: 2 * VIEWPORT.height - inner[1] },
    });
    await openCanvas(page, url);
    await page.evaluate(
      `setTimeout(() => void (${drawStrokesInPage.toString()})(${JSON.stringify({ paths, from: 0 })}).then((figures) => { globalThis.benchFigures = figures; document.title = '${DONE_TITLE}'; }), 0)`,
    );
    await browser.close();
    while (!(await bare.titles()).includes(DONE_TITLE)) await new Promise((r) => setTimeout(r, 500));
    drawn();
    browser = await chromium.connectOverCDP(bare.wsEndpoint);
    page = browser.contexts()[0]!.pages()[0]!;
    const figures = await page.evaluate(
      () => (globalThis as unknown as { benchFigures: StrokeFigures[] }).benchFigures,
    );
    await page.screenshot({ path: screenshot });
    await browser.close();
    return figures;
  } finally {
    await bare.close();
  }
}

/** The browser's viewport, as a person's window might be. */
const VIEWPORT = { width: 1280, height: 900 };

test.use({ viewport: VIEWPORT });

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
    browser,
  }) => {
    const home = mkdtempSync(join(tmpdir(), 'ganstudio-bench-canvas-'));
    let served: ServedStudio | null = null;
    try {
      await writePhotos(join(home, 'photos'), size);
      const imported = prepareModel(home, join(home, 'photos'), ngf);
      console.log(`export: ${imported.latencyMs} ms per image in ONNX Runtime (${imported.provider})`);
      served = await serveStudio(home);
      const loadBefore = loadavg()[0]!;
      const paths = strokePaths(strokes);
      const screenshot = test.info().outputPath(`canvas-ngf${ngf}-${input}.png`);
      const page = input === 'bare' ? null : await browser.newPage({ viewport: VIEWPORT });
      const translate = page ? await openCanvas(page, served.url) : null;

      const cpuBefore = processCpu();
      const ticksBefore = machineTicks();
      const drawStart = Date.now();
      let cpu: Record<string, number> | null = null;
      let steal: number | null = null;
      const measure = (): void => {
        cpu = cpuSince(cpuBefore);
        steal = stealSince(ticksBefore);
      };
      let drawn: StrokeFigures[] = [];
      if (input === 'bare') drawn = await drawBare(served.url, paths, screenshot, measure);
      for (const [i, path] of (page ? paths : []).entries()) {
        if (input === 'hand') {
          drawn.push(...(await page!.evaluate(drawStrokesInPage, { paths: [path], from: i })));
          continue;
        }
        await translate!.stroke(path);
        await translate!.strokeResult(i + 1);
        const read = async (name: string) => Number(await translate!.status.getAttribute(name));
        drawn.push({
          ms: await translate!.liveMs(),
          engine: await read('data-engine-ms'),
          model: await read('data-model-ms'),
        });
      }
      if (input !== 'bare') measure();
      const figures = drawn.map((f) => f.ms);
      const line = {
        case: `canvas-translate-unet${size}-ngf${ngf}-${input}`,
        strokes: figures.length,
        stroke_to_result_median_ms: median(figures),
        stroke_to_result_p95_ms: percentile(figures, 0.95),
        engine_median_ms: median(drawn.map((f) => f.engine)),
        model_median_ms: median(drawn.map((f) => f.model)),
        engine_p95_ms: percentile(
          drawn.map((f) => f.engine),
          0.95,
        ),
        model_p95_ms: percentile(
          drawn.map((f) => f.model),
          0.95,
        ),
        cores: availableParallelism(),
        load_average: [loadBefore, loadavg()[0]!].map((l) => Math.round(l * 100) / 100),
        drawing_seconds: (Date.now() - drawStart) / 1000,
        cpu_seconds: cpu,
        steal_share: steal,
      };
      console.log(JSON.stringify(line));
      if (cpu) console.log(`CPU seconds in ${line.drawing_seconds} s of drawing: ${JSON.stringify(cpu)}`);
      console.log(
        `${line.case}: stroke end → result drawn median ${line.stroke_to_result_median_ms} ms, p95 ${line.stroke_to_result_p95_ms} ms over ${line.strokes} strokes; engine ${line.engine_median_ms} ms of it (model alone ${line.model_median_ms} ms; at p95 engine ${line.engine_p95_ms}, model ${line.model_p95_ms}), ${line.cores} cores, load average ${line.load_average.join(' → ')}, ${steal === null ? 'steal unknown' : `${Math.round(steal * 100)} % of the CPU stolen by the hypervisor`}`,
      );
      await page?.screenshot({ path: screenshot });
      await page?.close();
    } finally {
      await served?.stop();
      rmSync(home, { recursive: true, force: true });
    }
  });
}
