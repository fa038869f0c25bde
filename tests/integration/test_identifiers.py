"""Names a cell may declare, through the real kernel."""
from conftest import value


def test_names_starting_with_two_underscores(kernel):
    # They used to fail with "Cannot find name '___x'" (TypeScript's escaped form of the name).
    _, kc = kernel
    assert value(kc, "const __x = 1; __x + 1") == "2"
    assert value(kc, "__x * 10") == "10"
    assert value(kc, "let ___y = 2; function __f() { return __x + ___y; } __f()") == "3"
