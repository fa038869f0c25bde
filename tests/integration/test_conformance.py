"""The jupyter_kernel_test suite (PyPI) against the installed kernel, every applicable test enabled."""
import jupyter_kernel_test as jkt


class GaissaKernelConformance(jkt.KernelTests):
    kernel_name = "gaissa"
    language_name = "typescript"
    file_extension = ".ts"

    code_hello_world = 'console.log("hello, world")'
    code_stderr = 'console.error("this goes to stderr")'

    completion_samples = [
        {"text": "Math.PI.toFix", "matches": {"toFixed"}},
        # Prefix matches only: exp, hypot, log1p... also contain a "p" but are not offered.
        {"text": "Math.P", "matches": {"PI", "pow"}},
        {"text": "const completionTarget = 1; completionTar", "matches": {"completionTarget"}},
    ]
    complete_code_samples = ["1 + 1", "const done = 3;", "function f() { return 1; }", "%gaissa help"]
    incomplete_code_samples = ["function f() {", "const xs = [1,", "if (true) {"]
    # A magic with an unterminated quote can never become valid by adding lines.
    invalid_code_samples = ["%gaissa help 'time"]

    code_execute_result = [
        {"code": "1 + 1", "result": "2"},
        {"code": "'green' + 'AI'", "result": "'greenAI'"},
        {"code": "[1, 2, 3].map(x => x * 2)", "result": "[ 2, 4, 6 ]"},
    ]
    code_display_data = [
        {"code": "gaissa.display({ 'text/html': '<b>hi</b>' })", "mime": "text/html"},
        {"code": "gaissa.display({ 'image/svg+xml': '<svg xmlns=\"http://www.w3.org/2000/svg\"/>' })", "mime": "image/svg+xml"},
    ]
    code_history_pattern = "1*1"
    supported_history_operations = ("tail", "range", "search")
    code_inspect_sample = "Math.max"
    code_clear_output = "gaissa.clearOutput()"
    code_generate_error = 'throw new Error("expected failure")'
    code_page_something = "gaissa.page(gaissa.help())"
