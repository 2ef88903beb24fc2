import type protobuf from 'protobufjs/light.js';
import { attr, OnnxAttributeType, OnnxDataType, onnxMessageType } from './onnx-proto';
import {
  concatBytes,
  fieldChunks,
  fieldHeader,
  ONNX_FIELD,
  wireFields,
  wireString,
  type WireField,
} from './onnx-wire';

/**
 * Rewrites each 4×4, stride-2, pad-1 ConvTranspose of a model (the up-sampling layer of pix2pix's
 * U-Net) as the four 2×2 convolutions it is made of, one per output phase, interleaved back by
 * DepthToSpace. The result is the same up to float rounding (every output pixel sums the same
 * four products per input channel), but ONNX Runtime's CPU provider runs Conv in its blocked
 * layout and ConvTranspose as a matrix product plus a scatter: on a 256 px U-Net the split
 * model is about 13 % faster. Layers with fewer than `minOutChannels` outputs (the last,
 * 3-channel one) stay as they are, because there the split is slower.
 *
 * The file is edited at the wire level: every field this code does not rewrite is copied byte
 * for byte, so whatever else the file holds survives, and only the weights of the layers split
 * are decoded. A layer whose weights may be fed at run time (they are also a graph input) stays.
 * Files whose weights live outside the file, that hold subgraphs, that are older than IR 4 or
 * opset 11 (no DepthToSpace DCR), or where nothing qualifies come back unchanged (`split` 0).
 */
export function splitPhaseDeconvs(
  bytes: Uint8Array,
  o: { minOutChannels?: number } = {},
): { bytes: Uint8Array; split: number } {
  const unchanged = { bytes, split: 0 };
  const model = wireFields(bytes);
  const graphFields = model.filter((f) => f.field === ONNX_FIELD.model.graph);
  if (graphFields.length !== 1 || irVersion(model) < 4 || defaultOpset(model) < 11) return unchanged;
  const graphField = graphFields[0]!;
  const graph = wireFields(graphField.body!);
  const nodes = graph
    .filter((f) => f.field === ONNX_FIELD.graph.node)
    .map((f) => ({ field: f, node: readNode(f.body!) }));
  const initializers = graph.filter((f) => f.field === ONNX_FIELD.graph.initializer);
  // A subgraph may read any outer name, and a model whose weights are elsewhere cannot load from bytes.
  if (nodes.some(({ node }) => holdsSubgraph(node)) || initializers.some((f) => isExternal(f.body!)))
    return unchanged;
  const graphInputs = valueNames(graph, ONNX_FIELD.graph.input);
  // A weight that is also a graph input may be fed at run time: its node stays as it is.
  const candidates = new Set(
    nodes
      .filter(({ node }) => node.opType === 'ConvTranspose')
      .map(({ node }) => node.input?.[1] ?? '')
      .filter((name) => name && !graphInputs.has(name)),
  );
  if (candidates.size === 0) return unchanged;
  const initializerName = new Map(initializers.map((f) => [f, wireString(f.body!, ONNX_FIELD.tensor.name)]));
  const weights = new Map<string, Initializer>();
  for (const [field, name] of initializerName)
    if (candidates.has(name)) weights.set(name, readInitializer(field.body!));
  const names = new Set<string>([
    ...initializerName.values(),
    ...graphInputs,
    ...nodes.flatMap(({ node }) => [node.name ?? '', ...(node.input ?? []), ...(node.output ?? [])]),
  ]);
  const fresh = (base: string): string => {
    let name = base;
    for (let k = 1; names.has(name); k += 1) name = `${base}_${k}`;
    names.add(name);
    return name;
  };
  const replaced = new Map<WireField, Uint8Array[]>();
  const added: Uint8Array[] = [];
  const splitWeights = new Set<string>();
  for (const { field, node } of nodes) {
    const plan = planSplit(node, weights, o.minOutChannels ?? 16);
    if (!plan) continue;
    const { nodes: parts, initializers: kernels } = phaseNodes(node, plan, fresh);
    replaced.set(
      field,
      parts.flatMap((p) => fieldChunks(ONNX_FIELD.graph.node, encode(nodeType, p))),
    );
    for (const kernel of kernels)
      added.push(...fieldChunks(ONNX_FIELD.graph.initializer, encode(tensorType, kernel)));
    splitWeights.add(plan.weightName);
  }
  if (replaced.size === 0) return unchanged;
  const stillRead = new Set([
    ...nodes.filter(({ field }) => !replaced.has(field)).flatMap(({ node }) => node.input ?? []),
    ...valueNames(graph, ONNX_FIELD.graph.output),
  ]);
  const chunks: Uint8Array[] = [];
  for (const field of graph) {
    const name = initializerName.get(field);
    if (replaced.has(field)) chunks.push(...replaced.get(field)!);
    else if (name === undefined || !splitWeights.has(name) || stillRead.has(name)) chunks.push(field.raw);
  }
  chunks.push(...added);
  const graphLength = chunks.reduce((n, c) => n + c.length, 0);
  const out = model.flatMap((f) =>
    f === graphField ? [fieldHeader(ONNX_FIELD.model.graph, graphLength), ...chunks] : [f.raw],
  );
  return { bytes: concatBytes(out), split: replaced.size };
}

const nodeType = onnxMessageType('NodeProto');
const tensorType = onnxMessageType('TensorProto');
const opsetType = onnxMessageType('OperatorSetIdProto');
const modelType = onnxMessageType('ModelProto');

function encode(type: protobuf.Type, value: object): Uint8Array {
  return type.encode(type.fromObject(value)).finish();
}

function irVersion(model: WireField[]): number {
  const field = model.find((f) => f.field === ONNX_FIELD.model.irVersion);
  if (!field) return 0;
  const decoded = modelType.toObject(modelType.decode(field.raw), { longs: Number }) as {
    irVersion?: number;
  };
  return decoded.irVersion ?? 0;
}

function defaultOpset(model: WireField[]): number {
  for (const field of model) {
    if (field.field !== ONNX_FIELD.model.opsetImport) continue;
    const set = opsetType.toObject(opsetType.decode(field.body!), { longs: Number }) as {
      domain?: string;
      version?: number;
    };
    if (!set.domain || set.domain === 'ai.onnx') return set.version ?? 0;
  }
  return 0;
}

function valueNames(graph: WireField[], field: number): Set<string> {
  return new Set(
    graph.filter((f) => f.field === field).map((f) => wireString(f.body!, ONNX_FIELD.valueInfo.name)),
  );
}

function isExternal(tensor: Uint8Array): boolean {
  return wireFields(tensor).some(
    (f) => f.field === ONNX_FIELD.tensor.externalData || f.field === ONNX_FIELD.tensor.dataLocation,
  );
}

function holdsSubgraph(node: DecodedNode): boolean {
  const { graph, graphs } = ONNX_FIELD.attribute.type;
  return node.attribute?.some((a) => a.type === graph || a.type === graphs) ?? false;
}

interface DecodedAttribute {
  name?: string;
  type?: number;
  i?: number;
  s?: Uint8Array;
  ints?: number[];
}

interface DecodedNode {
  input?: string[];
  output?: string[];
  name?: string;
  opType?: string;
  domain?: string;
  attribute?: DecodedAttribute[];
}

function readNode(body: Uint8Array): DecodedNode {
  return nodeType.toObject(nodeType.decode(body), { longs: Number }) as DecodedNode;
}

/** A weight as the split needs it: its values when the file holds them as float32 (raw or listed). */
interface Initializer {
  name: string;
  dims: number[];
  dataType: number;
  floats: Float32Array | null;
}

function readInitializer(body: Uint8Array): Initializer {
  const t = tensorType.toObject(tensorType.decode(body), { longs: Number }) as {
    name?: string;
    dims?: number[];
    dataType?: number;
    rawData?: Uint8Array;
    floatData?: number[];
  };
  const dims = t.dims ?? [];
  const count = dims.reduce((n, d) => n * d, 1);
  const floats =
    t.rawData && t.rawData.length === 4 * count
      ? new Float32Array(new Uint8Array(t.rawData).buffer)
      : t.floatData && t.floatData.length === count
        ? Float32Array.from(t.floatData)
        : null;
  return { name: t.name ?? '', dims, dataType: t.dataType ?? 0, floats };
}

interface SplitPlan {
  weightName: string;
  values: Float32Array;
  inChannels: number;
  outChannels: number;
}

function attribute(node: DecodedNode, name: string): DecodedAttribute | undefined {
  return node.attribute?.find((a) => a.name === name);
}

function intsAre(node: DecodedNode, name: string, expected: number[], absentOk: boolean): boolean {
  const a = attribute(node, name);
  if (!a) return absentOk;
  return a.type === OnnxAttributeType.INTS && (a.ints ?? []).join() === expected.join();
}

/** The weights and sizes of a ConvTranspose that splits into phases, or null. */
function planSplit(node: DecodedNode, tensors: Map<string, Initializer>, minOut: number): SplitPlan | null {
  if (node.opType !== 'ConvTranspose' || (node.domain && node.domain !== 'ai.onnx')) return null;
  const [x, w] = node.input ?? [];
  if (!x || !w || (node.output ?? []).length !== 1) return null;
  const weight = tensors.get(w);
  if (!weight || weight.dataType !== OnnxDataType.FLOAT || weight.dims.length !== 4) return null;
  const [inChannels, outChannels, kh, kw] = weight.dims as [number, number, number, number];
  const autoPad = attribute(node, 'auto_pad');
  const group = attribute(node, 'group');
  if (
    kh !== 4 ||
    kw !== 4 ||
    outChannels < minOut ||
    (group && group.i !== 1) ||
    (autoPad && new TextDecoder().decode(autoPad.s) !== 'NOTSET') ||
    attribute(node, 'output_shape') ||
    !intsAre(node, 'kernel_shape', [4, 4], true) ||
    !intsAre(node, 'strides', [2, 2], false) ||
    !intsAre(node, 'pads', [1, 1, 1, 1], false) ||
    !intsAre(node, 'dilations', [1, 1], true) ||
    !intsAre(node, 'output_padding', [0, 0], true)
  )
    return null;
  return weight.floats ? { weightName: weight.name, values: weight.floats, inChannels, outChannels } : null;
}

/**
 * For a 4-tap, stride-2, pad-1 transposed convolution, output row 2m+a reads input rows m−1, m
 * (a = 0) or m, m+1 (a = 1), through these kernel rows; columns likewise.
 */
const PHASE_TAPS = [
  [3, 1],
  [2, 0],
] as const;

function phaseNodes(
  node: DecodedNode,
  plan: SplitPlan,
  fresh: (base: string) => string,
): { nodes: object[]; initializers: object[] } {
  const [x, , bias] = node.input!;
  const y = node.output![0]!;
  const base = node.name || y;
  const { inChannels: cin, outChannels: cout, values } = plan;
  const nodes: object[] = [];
  const initializers: object[] = [];
  const phases: string[] = [];
  for (const a of [0, 1] as const) {
    for (const b of [0, 1] as const) {
      const kernel = new Float32Array(cout * cin * 4);
      for (let co = 0; co < cout; co += 1)
        for (let ci = 0; ci < cin; ci += 1)
          for (let r = 0; r < 2; r += 1)
            for (let s = 0; s < 2; s += 1)
              kernel[((co * cin + ci) * 2 + r) * 2 + s] =
                values[((ci * cout + co) * 4 + PHASE_TAPS[a][r]!) * 4 + PHASE_TAPS[b][s]!]!;
      const kernelName = fresh(`${plan.weightName}/phase${a}${b}`);
      initializers.push({
        name: kernelName,
        dataType: OnnxDataType.FLOAT,
        dims: [cout, cin, 2, 2],
        rawData: new Uint8Array(kernel.buffer),
      });
      const out = fresh(`${y}/phase${a}${b}`);
      phases.push(out);
      nodes.push({
        name: fresh(`${base}/phase${a}${b}`),
        opType: 'Conv',
        input: bias ? [x, kernelName, bias] : [x, kernelName],
        output: [out],
        attribute: [attr.ints('kernel_shape', [2, 2]), attr.ints('pads', [1 - a, 1 - b, a, b])],
      });
    }
  }
  const joined = fresh(`${y}/phases`);
  nodes.push({
    name: fresh(`${base}/phases`),
    opType: 'Concat',
    input: phases,
    output: [joined],
    attribute: [attr.int('axis', 1)],
  });
  nodes.push({
    name: fresh(`${base}/interleave`),
    opType: 'DepthToSpace',
    input: [joined],
    output: [y],
    attribute: [attr.int('blocksize', 2), attr.text('mode', 'DCR')],
  });
  return { nodes, initializers };
}
