"""ONNX Runtime's own dynamic quantization, timed, for bench/tactics-vs-ort-python.ts.

Usage: python bench/tactics-vs-ort-python.py IN.onnx OUT.onnx [--per-tensor] [--reduce-range]
       [--no-shape-inference] [--repeat N]
Prints one JSON object: the versions used and the quantization time (median of N runs, seconds),
from reading IN.onnx to having written OUT.onnx, as the TypeScript side times ours.

quantize_dynamic always runs ONNX shape inference first (it writes, reads and deletes an inferred
copy of the model); ours does none. --no-shape-inference times the same quantizer
(ONNXQuantizer, with the arguments quantize_dynamic passes it in onnxruntime 1.32) on the model as
read, so the two sides do the same work; the output is the same file either way for the models of
the benchmark (MatMul, Gemm and Conv need no inferred shapes).
"""
import argparse
import json
import statistics
import time

import onnx
import onnxruntime
from onnxruntime.quantization import QuantType, quantize_dynamic
from onnxruntime.quantization.onnx_quantizer import ONNXQuantizer
from onnxruntime.quantization.quant_utils import QuantizationMode
from onnxruntime.quantization.registry import IntegerOpsRegistry


def without_shape_inference(
    source: str, target: str, per_channel: bool, reduce_range: bool
) -> None:
    model = onnx.load(source)
    quantizer = ONNXQuantizer(
        model,
        per_channel,
        reduce_range,
        QuantizationMode.IntegerOps,
        False,  # static
        QuantType.QInt8,
        QuantType.QUInt8,  # dynamic activations are uint8
        None,
        [],
        [],
        list(IntegerOpsRegistry.keys()),
        {"MatMulConstBOnly": True},
    )
    quantizer.quantize_model()
    quantizer.model.save_model_to_file(target, False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source")
    parser.add_argument("target")
    parser.add_argument("--per-tensor", action="store_true")
    parser.add_argument("--reduce-range", action="store_true")
    parser.add_argument("--no-shape-inference", action="store_true")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    per_channel = not args.per_tensor
    times = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        if args.no_shape_inference:
            without_shape_inference(args.source, args.target, per_channel, args.reduce_range)
        else:
            quantize_dynamic(
                args.source,
                args.target,
                per_channel=per_channel,
                reduce_range=args.reduce_range,
                weight_type=QuantType.QInt8,
            )
        times.append(time.perf_counter() - started)
    print(
        json.dumps(
            {
                "onnxruntime": onnxruntime.__version__,
                "onnx": onnx.__version__,
                "perChannel": per_channel,
                "reduceRange": args.reduce_range,
                "shapeInference": not args.no_shape_inference,
                "quantizeS": statistics.median(times),
                "runs": times,
            }
        )
    )


if __name__ == "__main__":
    main()
