"""The installed kernelspec, as Jupyter reads it and starts the kernel from it."""

from jupyter_client.kernelspec import KernelSpecManager

from conftest import KERNEL, value


def test_the_kernelspec_environment_reaches_the_kernel(kernel):
    # Two malloc arenas (less RSS); Jupyter sets the kernelspec's env for the kernel's process.
    spec = KernelSpecManager().get_kernel_spec(KERNEL)
    assert spec.env == {"MALLOC_ARENA_MAX": "2"}
    assert spec.interrupt_mode == "signal"
    _, kc = kernel
    assert value(kc, "process.env.MALLOC_ARENA_MAX === '2'") == "true"
