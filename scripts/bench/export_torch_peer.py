#!/usr/bin/python3
"""Exports the PyTorch peer's generator (../shared/bench/torch_peer.py) with torch.onnx.export,
so that `npm run bench` can time it in ONNX Runtime beside GAN Studio's own export.
The network is built as the peer's inference case builds it: torch.manual_seed(0), G.eval().
Usage: export_torch_peer.py --out <file.onnx> [--peer <torch_peer.py>] [--case pix2pix|cyclegan] [--size 128] [--ngf 64]
Prints one JSON line: {"path": ..., "case": ..., "opset": 17, "torch": ...}.
"""
import argparse, importlib.util, json, os, sys, warnings

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_PEER = os.path.join(HERE, "..", "..", "..", "shared", "bench", "torch_peer.py")


def load_peer(path):
    spec = importlib.util.spec_from_file_location("torch_peer", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build(peer, case, size, ngf):
    if case == "pix2pix":
        return peer.unet(3, 3, 7 if size == 128 else 8, ngf), f"pix2pix-unet{size}-ngf{ngf}"
    blocks = 9 if size >= 256 else 6
    return peer.resnet_gen(3, 3, ngf, blocks), f"cyclegan-resnet{blocks}-{size}-ngf{ngf}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--peer", default=DEFAULT_PEER)
    ap.add_argument("--case", default="pix2pix", choices=["pix2pix", "cyclegan"])
    ap.add_argument("--size", type=int, default=128)
    ap.add_argument("--ngf", type=int, default=64)
    o = ap.parse_args()
    warnings.filterwarnings("ignore")
    peer = load_peer(o.peer)
    torch = peer.torch
    torch.manual_seed(0)
    G, case = build(peer, o.case, o.size, o.ngf)
    G.eval()
    x = torch.randn(1, 3, o.size, o.size)
    with torch.no_grad():
        torch.onnx.export(
            G, x, o.out, opset_version=17, input_names=["input"], output_names=["output"],
            dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}}, do_constant_folding=True,
        )
    print(json.dumps({"path": os.path.abspath(o.out), "case": case, "opset": 17, "torch": torch.__version__}))


if __name__ == "__main__":
    try:
        main()
    except Exception as error:  # one clear line for the caller, not a traceback
        print(f"export_torch_peer: {type(error).__name__}: {error}".splitlines()[0], file=sys.stderr)
        sys.exit(1)
