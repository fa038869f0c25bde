"""ONNX Runtime's own dynamic quantization, timed, for bench/tactics-vs-ort-python.ts.

Usage: python bench/tactics-vs-ort-python.py IN.onnx OUT.onnx [--per-tensor] [--repeat N]
Prints one JSON object: the versions used and the quantization time (median of N runs, seconds).
"""
import argparse
import json
import statistics
import time

import onnx
import onnxruntime
from onnxruntime.quantization import QuantType, quantize_dynamic


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source")
    parser.add_argument("target")
    parser.add_argument("--per-tensor", action="store_true")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    source, target, per_channel, repeat = args.source, args.target, not args.per_tensor, args.repeat
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        quantize_dynamic(source, target, per_channel=per_channel, weight_type=QuantType.QInt8)
        times.append(time.perf_counter() - started)
    print(
        json.dumps(
            {
                "onnxruntime": onnxruntime.__version__,
                "onnx": onnx.__version__,
                "perChannel": per_channel,
                "quantizeS": statistics.median(times),
                "runs": times,
            }
        )
    )


if __name__ == "__main__":
    main()
