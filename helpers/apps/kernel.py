"""The kernel every course page runs in: IPython's kernel without the debugger.

Why: ipykernel imports debugpy at start whenever it is installed, ~8 MB per
kernel (measured RSS), and Voila never lets a browser send a debug request.
With 100 trainees that is most of a gigabyte for nothing.  Marking the module
as missing makes ipykernel start without its debugger, as it does where
debugpy is not installed.  The course's kernelspec (``share/kernels/python3``)
runs this module; it reaches Voila through ``JUPYTER_PATH`` set by
:mod:`helpers.apps.serve`, so other Jupyter installations are untouched.  The
kernelspec also switches IPython's input history off: a hundred kernels would
otherwise all write to one history database in the home folder, and Voila
pages have no input to remember.
"""
import sys
from pathlib import Path

if __name__ == "__main__":
    # As ipykernel_launcher does: the notebook's folder is not an import path
    # until IPython adds it back, so no file there can shadow a library.
    if sys.path[0] in ("", str(Path.cwd())):
        del sys.path[0]
    sys.modules["debugpy"] = None  # type: ignore[assignment]

    from ipykernel import kernelapp

    kernelapp.launch_new_instance()
