import protobuf from 'protobufjs/light.js';
import { OnnxAttributeType, OnnxDataType, onnxMessageType } from './onnx-proto';

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
 * for byte, so whatever else the file holds survives. Files whose weights live outside the file,
 * that are older than opset 11 (no DepthToSpace DCR), or where nothing qualifies come back
 * unchanged (`split` 0).
 */
export function splitPhaseDeconvs(
  bytes: Uint8Array,
  o: { minOutChannels?: number } = {},
): { bytes: Uint8Array; split: number } {
  const unchanged = { bytes, split: 0 };
  const model = wireFields(bytes);
  const graphFields = model.filter((f) => f.field === MODEL_GRAPH);
  if (graphFields.length !== 1 || defaultOpset(model) < 11) return unchanged;
  const graphField = graphFields[0]!;
  const graph = wireFields(graphField.body!);
  const tensors = new Map<string, Initializer>();
  for (const field of graph) {
    if (field.field !== GRAPH_INITIALIZER) continue;
    const tensor = readInitializer(field.body!);
    if (tensor.external) return unchanged;
    tensors.set(tensor.name, tensor);
  }
  const nodes = graph
    .filter((f) => f.field === GRAPH_NODE)
    .map((f) => ({ field: f, node: readNode(f.body!) }));
  const names = new Set<string>([
    ...tensors.keys(),
    ...nodes.flatMap(({ node }) => [...(node.input ?? []), ...(node.output ?? [])]),
    ...graph.filter((f) => f.field === GRAPH_INPUT).map((f) => valueInfoName(f.body!)),
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
    const plan = planSplit(node, tensors, o.minOutChannels ?? 16);
    if (!plan) continue;
    const { nodes: parts, initializers } = phaseNodes(node, plan, fresh);
    replaced.set(
      field,
      parts.map((p) => lengthDelimited(GRAPH_NODE, nodeType.encode(nodeType.fromObject(p)).finish())),
    );
    for (const tensor of initializers)
      added.push(
        lengthDelimited(GRAPH_INITIALIZER, tensorType.encode(tensorType.fromObject(tensor)).finish()),
      );
    splitWeights.add(plan.weight.name);
  }
  if (replaced.size === 0) return unchanged;
  const stillUsed = unremovable(graph, nodes, replaced);
  const chunks: Uint8Array[] = [];
  for (const field of graph) {
    const replacement = replaced.get(field);
    if (replacement) chunks.push(...replacement);
    else if (!isDroppedWeight(field, splitWeights, stillUsed)) chunks.push(field.raw);
  }
  chunks.push(...added);
  const newGraph = concat(chunks);
  const out: Uint8Array[] = model.map((f) =>
    f === graphField ? lengthDelimited(MODEL_GRAPH, newGraph) : f.raw,
  );
  return { bytes: concat(out), split: replaced.size };
}

const MODEL_GRAPH = 7;
const MODEL_OPSET = 8;
const GRAPH_NODE = 1;
const GRAPH_INITIALIZER = 5;
const GRAPH_INPUT = 11;
const GRAPH_OUTPUT = 12;
const TENSOR_EXTERNAL_DATA = 13;
const TENSOR_DATA_LOCATION = 14;
const ATTRIBUTE_GRAPH = 5;
const ATTRIBUTE_GRAPHS = 10;

const nodeType = onnxMessageType('NodeProto');
const tensorType = onnxMessageType('TensorProto');
const opsetType = onnxMessageType('OperatorSetIdProto');

/** One field of a protobuf message as it lies in the bytes; `body` is a length-delimited field's payload. */
interface WireField {
  field: number;
  raw: Uint8Array;
  body?: Uint8Array;
}

function wireFields(bytes: Uint8Array): WireField[] {
  const reader = protobuf.Reader.create(bytes);
  const fields: WireField[] = [];
  while (reader.pos < reader.len) {
    const start = reader.pos;
    const tag = reader.uint32();
    const body = (tag & 7) === 2 ? reader.bytes() : undefined;
    if (!body) reader.skipType(tag & 7);
    fields.push({ field: tag >>> 3, raw: bytes.subarray(start, reader.pos), body });
  }
  return fields;
}

function lengthDelimited(field: number, body: Uint8Array): Uint8Array {
  return protobuf.Writer.create()
    .uint32((field << 3) | 2)
    .bytes(body)
    .finish();
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

function defaultOpset(model: WireField[]): number {
  for (const field of model) {
    if (field.field !== MODEL_OPSET) continue;
    const set = opsetType.toObject(opsetType.decode(field.body!), { longs: Number }) as {
      domain?: string;
      version?: number;
    };
    if (!set.domain || set.domain === 'ai.onnx') return set.version ?? 0;
  }
  return 0;
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

function valueInfoName(body: Uint8Array): string {
  const name = wireFields(body).find((f) => f.field === 1);
  return name?.body ? new TextDecoder().decode(name.body) : '';
}

interface Initializer {
  name: string;
  dims: number[];
  dataType: number;
  /** The tensor's values when it holds float32 data in the file. */
  floats: () => Float32Array | null;
  external: boolean;
}

function readInitializer(body: Uint8Array): Initializer {
  const external = wireFields(body).some(
    (f) => f.field === TENSOR_EXTERNAL_DATA || f.field === TENSOR_DATA_LOCATION,
  );
  const t = tensorType.toObject(tensorType.decode(body), { longs: Number }) as {
    name?: string;
    dims?: number[];
    dataType?: number;
    rawData?: Uint8Array;
    floatData?: number[];
  };
  const dims = t.dims ?? [];
  const count = dims.reduce((n, d) => n * d, 1);
  return {
    name: t.name ?? '',
    dims,
    dataType: t.dataType ?? 0,
    external,
    floats: () => {
      if (t.rawData && t.rawData.length === 4 * count)
        return new Float32Array(new Uint8Array(t.rawData).buffer);
      if (t.floatData && t.floatData.length === count) return Float32Array.from(t.floatData);
      return null;
    },
  };
}

interface SplitPlan {
  weight: Initializer;
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
  const values = weight.floats();
  return values ? { weight, values, inChannels, outChannels } : null;
}

/**
 * For a 4-tap, stride-2, pad-1 transposed convolution, output row 2m+a reads input rows m−1, m
 * (a = 0) or m, m+1 (a = 1), through these kernel rows; columns likewise.
 */
const PHASE_TAPS = [
  [3, 1],
  [2, 0],
] as const;

const ints = (name: string, values: number[]) => ({ name, type: OnnxAttributeType.INTS, ints: values });

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
      const kernelName = fresh(`${plan.weight.name}/phase${a}${b}`);
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
        attribute: [ints('kernel_shape', [2, 2]), ints('pads', [1 - a, 1 - b, a, b])],
      });
    }
  }
  const joined = fresh(`${y}/phases`);
  nodes.push({
    name: fresh(`${base}/phases`),
    opType: 'Concat',
    input: phases,
    output: [joined],
    attribute: [{ name: 'axis', type: OnnxAttributeType.INT, i: 1 }],
  });
  nodes.push({
    name: fresh(`${base}/interleave`),
    opType: 'DepthToSpace',
    input: [joined],
    output: [y],
    attribute: [
      { name: 'blocksize', type: OnnxAttributeType.INT, i: 2 },
      { name: 'mode', type: OnnxAttributeType.STRING, s: new TextEncoder().encode('DCR') },
    ],
  });
  return { nodes, initializers };
}

/**
 * Names an original weight must keep: inputs of the nodes left as they are, graph inputs and
 * outputs; null when a node holds a subgraph (which may read any name), so nothing is dropped.
 */
function unremovable(
  graph: WireField[],
  nodes: { field: WireField; node: DecodedNode }[],
  replaced: Map<WireField, Uint8Array[]>,
): Set<string> | null {
  if (
    nodes.some(({ node }) =>
      node.attribute?.some((a) => a.type === ATTRIBUTE_GRAPH || a.type === ATTRIBUTE_GRAPHS),
    )
  )
    return null;
  return new Set([
    ...nodes.filter(({ field }) => !replaced.has(field)).flatMap(({ node }) => node.input ?? []),
    ...graph
      .filter((f) => f.field === GRAPH_INPUT || f.field === GRAPH_OUTPUT)
      .map((f) => valueInfoName(f.body!)),
  ]);
}

function isDroppedWeight(field: WireField, split: Set<string>, stillUsed: Set<string> | null): boolean {
  if (field.field !== GRAPH_INITIALIZER || !stillUsed) return false;
  const name = readInitializerName(field.body!);
  return split.has(name) && !stillUsed.has(name);
}

function readInitializerName(body: Uint8Array): string {
  const name = wireFields(body).find((f) => f.field === 8);
  return name?.body ? new TextDecoder().decode(name.body) : '';
}
