import * as tf from '@tensorflow/tfjs';

/** The parts of a tfjs tape node that backpropagation reads (tfjs-core's TapeNode). */
interface TapeNode {
  id: number;
  kernelName: string;
  inputs: Record<string, tf.Tensor>;
  outputs: tf.Tensor[];
  gradient?: (dys: (tf.Tensor | null)[]) => Record<string, () => tf.Tensor>;
  saved?: tf.Tensor[];
}

type Gradients = (
  f: () => tf.Tensor,
  xs: tf.Tensor[],
  dy?: tf.Tensor,
  allowNoGradients?: boolean,
) => { value: tf.Tensor; grads: tf.Tensor[] };

/** The engine internals this module drives; all of them are methods and state of tfjs-core's Engine. */
interface EngineInternals {
  state: { gradientDepth: number; activeTape: TapeNode[] | null };
  scopedRun<T>(start: () => void, end: () => void, f: () => T): T;
  startTape(): void;
  endTape(): void;
  tidy<T extends tf.TensorContainer>(name: string | (() => T), f?: () => T): T;
  gradients: Gradients & { [LEAN]?: true };
}

const LEAN = Symbol.for('ganstudio.lean-gradients');

/** The nodes on a path from one of `xs` to `y`, their inputs pruned to those that depend on `xs` (as tfjs does). */
function pathNodes(tape: TapeNode[], xs: tf.Tensor[], y: tf.Tensor): TapeNode[] {
  const fromX = new Set(xs.map((x) => x.id));
  const nodesFromX = new Set<number>();
  for (const node of tape) {
    if (Object.values(node.inputs).some((input) => fromX.has(input.id))) {
      nodesFromX.add(node.id);
      for (const output of node.outputs) fromX.add(output.id);
    }
  }
  const toY = new Set([y.id]);
  const nodesToY = new Set<number>();
  for (let i = tape.length - 1; i >= 0; i--) {
    const node = tape[i] as TapeNode;
    if (node.outputs.some((output) => toY.has(output.id))) {
      nodesToY.add(node.id);
      for (const input of Object.values(node.inputs)) toY.add(input.id);
    }
  }
  return tape
    .filter((node) => nodesFromX.has(node.id) && nodesToY.has(node.id))
    .map((node) => ({
      ...node,
      inputs: Object.fromEntries(Object.entries(node.inputs).filter(([, input]) => fromX.has(input.id))),
    }));
}

function disposeSaved(node: TapeNode, except: Set<tf.Tensor>): void {
  for (const tensor of node.saved ?? []) if (!except.has(tensor)) tensor.dispose();
}

/**
 * Walks the tape backward as tfjs does, but frees each node's saved tensors and the gradients
 * of its outputs as soon as that node is done (tfjs keeps all of them to the end, which held
 * about twice a forward pass's activations at the peak of a step).
 */
function backpropagate(
  path: TapeNode[],
  grads: Map<number, tf.Tensor>,
  keep: Set<number>,
  dy: tf.Tensor | undefined,
) {
  for (let i = path.length - 1; i >= 0; i--) {
    const node = path[i] as TapeNode;
    if (!node.gradient)
      throw new Error(`Cannot compute gradient: gradient function not found for ${node.kernelName}.`);
    const dys = node.outputs.map((output) => grads.get(output.id) ?? null);
    const inputGradients = node.gradient(dys);
    for (const [name, x] of Object.entries(node.inputs)) {
      const gradient = inputGradients[name];
      if (!gradient) throw new Error(`Cannot backprop through input ${name} of ${node.kernelName}.`);
      const dx = tf.tidy(gradient);
      if (dx.dtype !== 'float32')
        throw new Error(`The gradient of ${node.kernelName}'s input ${name} is ${dx.dtype}.`);
      if (dx.shape.join() !== x.shape.join()) {
        throw new Error(
          `The gradient of ${node.kernelName}'s input ${name} has shape [${dx.shape}], not [${x.shape}].`,
        );
      }
      const current = grads.get(x.id);
      if (current) {
        grads.set(x.id, tf.add(current, dx));
        current.dispose();
        dx.dispose();
      } else grads.set(x.id, dx);
    }
    const live = new Set(Object.values(node.inputs).map((x) => grads.get(x.id) as tf.Tensor));
    for (const output of node.outputs) {
      const done = grads.get(output.id);
      if (!done || keep.has(output.id) || live.has(done) || done === dy) continue;
      done.dispose();
      grads.delete(output.id);
    }
    disposeSaved(node, live);
  }
}

/**
 * Makes tfjs free memory during backpropagation: the outermost `tf.grad`/`tf.variableGrads`
 * releases what each tape node kept for its gradient once that gradient is computed, so a
 * step's peak holds one copy of the forward activations instead of those plus every
 * intermediate gradient. Nested (higher-order) gradients run tfjs's own code unchanged.
 * Idempotent; the results are the same tensors tfjs computes.
 */
export function installLeanGradients(): void {
  const engine = tf.engine() as unknown as EngineInternals;
  if (engine.gradients[LEAN]) return;
  const original = engine.gradients.bind(engine);
  const lean: Gradients & { [LEAN]?: true } = (f, xs, dy, allowNoGradients = false) => {
    if (engine.state.gradientDepth > 0) return original(f, xs, dy, allowNoGradients);
    if (xs.length === 0) throw new Error('gradients() received an empty list of xs.');
    if (dy && dy.dtype !== 'float32') throw new Error(`dy must have 'float32' dtype, but has '${dy.dtype}'`);
    const y = engine.scopedRun(
      () => engine.startTape(),
      () => engine.endTape(),
      () => engine.tidy('forward', f),
    );
    if (!(y instanceof tf.Tensor)) throw new Error('The result y returned by f() must be a tensor.');
    const tape = engine.state.activeTape ?? [];
    const path = pathNodes(tape, xs, y);
    if (!allowNoGradients && path.length === 0) {
      throw new Error(
        'Cannot compute gradient of y=f(x) with respect to x. Make sure that the f you passed ' +
          'encloses all operations that lead from x to y.',
      );
    }
    return engine.tidy('backward', () => {
      const onPath = new Set(path.map((node) => node.id));
      for (const node of tape) if (!onPath.has(node.id)) disposeSaved(node, new Set());
      const grads = new Map<number, tf.Tensor>([[y.id, dy ?? tf.ones(y.shape)]]);
      backpropagate(path, grads, new Set(xs.map((x) => x.id)), dy);
      const result = xs.map((x) => grads.get(x.id) as tf.Tensor);
      for (const node of tape) disposeSaved(node, new Set());
      engine.state.activeTape = null;
      return { value: y, grads: result };
    });
  };
  lean[LEAN] = true;
  engine.gradients = lean;
}
