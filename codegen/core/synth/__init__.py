"""The one instance synthesizer: a valid value for a JSON Schema, chosen by a policy.

:func:`synthesize` (:mod:`.instance`) serves the mock's data, ``specfirst test``'s seed
bodies and the SDK README's example calls; :class:`Policy` (:mod:`.policy`) is what
differs between them. Strings come from :mod:`.patterns` and :mod:`.formats`,
``$ref``/``allOf`` are folded by :mod:`.merge`, and every value is validated by
:mod:`codegen.core.validator` before it is returned.
"""

from __future__ import annotations

from codegen.core.synth.instance import DISCRIMINATOR, Unsatisfiable, synthesize
from codegen.core.synth.policy import Optional, Policy, Values, key_of

__all__ = [
    "DISCRIMINATOR",
    "Optional",
    "Policy",
    "Unsatisfiable",
    "Values",
    "key_of",
    "synthesize",
]
