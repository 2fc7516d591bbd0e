"""Default run names like wandb's ("silvery-dawn-7"): two random words and the run's number in its project."""

from __future__ import annotations

import os
import secrets

_ADJECTIVES = (
    "amber", "ancient", "autumn", "bold", "brisk", "calm", "celestial", "cosmic", "crimson", "curious",
    "dainty", "dashing", "dazzling", "deft", "eager", "earnest", "electric", "fancy", "fine", "fluent",
    "fresh", "gallant", "gentle", "glad", "golden", "graceful", "hardy", "hearty", "icy", "jolly", "keen",
    "lively", "lucky", "lunar", "major", "misty", "noble", "northern", "olive", "pleasant", "proud", "quiet",
    "rare", "restful", "royal", "rustic", "scarlet", "serene", "silvery", "smooth", "solar", "spring",
    "stellar", "still", "sunny", "swift", "tender", "twilight", "vibrant", "vivid", "warm", "wild", "winter",
)  # fmt: skip
_NOUNS = (
    "aurora", "bird", "blaze", "breeze", "brook", "butterfly", "cloud", "comet", "cosmos", "dawn", "dew",
    "disco", "dream", "dust", "eon", "feather", "field", "firefly", "flower", "fog", "forest", "frost",
    "galaxy", "glade", "glitter", "grass", "haze", "hill", "lake", "leaf", "meadow", "moon", "morning",
    "mountain", "night", "oath", "ocean", "pine", "planet", "plasma", "pond", "rain", "resonance", "river",
    "sea", "shadow", "sky", "smoke", "snow", "sound", "spaceship", "star", "sun", "sunset", "surf", "thunder",
    "tree", "universe", "valley", "vortex", "water", "wave", "wind", "wood",
)  # fmt: skip


def default_run_name(project_dir: str | os.PathLike[str]) -> str:
    """adjective-noun-N, N being one more than the number of runs already in the project directory."""
    try:
        count = sum(
            1 for entry in os.scandir(project_dir) if entry.is_dir() and not entry.name.startswith(".")
        )
    except OSError:
        count = 0
    return f"{secrets.choice(_ADJECTIVES)}-{secrets.choice(_NOUNS)}-{count + 1}"
