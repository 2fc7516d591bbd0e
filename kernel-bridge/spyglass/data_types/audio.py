"""sg.Audio: a numpy waveform written as 16-bit PCM WAV (stdlib wave), or an audio file copied as it is."""

from __future__ import annotations

import io
import os
import wave
from pathlib import Path
from typing import Any

import numpy as np

from .errors import MediaError
from .media import Media, caption_of, file_extension, media_file, store_file_or_bytes
from .media_store import MediaWriter
from .pixel_arrays import as_numpy

AUDIO_EXTENSIONS = {"wav", "mp3", "ogg", "flac", "m4a", "aac", "webm", "opus"}


class Audio(Media):
    """`sg.Audio(waveform, sample_rate=16000, caption=None)` or `sg.Audio("clip.mp3")`.

    The waveform is (N,) or (N, channels), floats in [-1, 1] or int16.
    """

    _type = "audio"

    def __init__(self, data_or_path: Any, sample_rate: int | None = None, caption: Any = None) -> None:
        self.caption = caption_of(caption)
        self.sample_rate = sample_rate
        self.duration: float | None = None
        self._source: Path | None = None
        self._wav: bytes | None = None
        if isinstance(data_or_path, (str, os.PathLike)):
            path = media_file(data_or_path, AUDIO_EXTENSIONS, "sg.Audio", "an audio file")
            self._source = path
            if file_extension(path) == "wav":
                self._read_wav_header(path)
            return
        if sample_rate is None or int(sample_rate) <= 0:
            raise MediaError("sg.Audio from an array needs sample_rate= (samples per second, e.g. 16000).")
        self.sample_rate = int(sample_rate)
        self._wav, frames = _wav_bytes(data_or_path, self.sample_rate)
        self.duration = frames / self.sample_rate

    def _read_wav_header(self, path: Path) -> None:
        try:
            with wave.open(str(path), "rb") as reader:
                self.sample_rate = reader.getframerate()
                self.duration = reader.getnframes() / self.sample_rate
        except (wave.Error, EOFError) as error:
            raise MediaError(f"sg.Audio: {str(path)!r} is not a readable WAV file ({error}).") from error

    def to_reference(self, writer: MediaWriter, key: str, step: int | None) -> dict[str, Any]:
        path = store_file_or_bytes(writer, "audio", key, step, self._source, "wav", self._wav)
        return {
            "_type": "audio",
            "path": path,
            "sample_rate": self.sample_rate,
            "duration": self.duration,
            "caption": self.caption,
        }


def _wav_bytes(data: Any, sample_rate: int) -> tuple[bytes, int]:
    try:
        array = as_numpy(data)
    except MediaError as error:
        raise MediaError(f"sg.Audio: {error}") from error
    if array.ndim == 2 and array.shape[0] <= 8 < array.shape[1]:
        array = array.T  # (channels, N) to (N, channels)
    if array.ndim == 1:
        array = array[:, None]
    if array.ndim != 2 or array.shape[1] > 8 or array.shape[0] == 0:
        raise MediaError(
            f"sg.Audio: a waveform must be (N,) or (N, channels ≤ 8) samples, got shape {array.shape}."
        )
    if array.dtype.kind == "f":
        array = np.clip(np.nan_to_num(array), -1.0, 1.0)
        samples = np.rint(array * 32767).astype("<i2")
    else:
        samples = np.clip(array, -32768, 32767).astype("<i2")
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(samples.shape[1])
        out.setsampwidth(2)
        out.setframerate(sample_rate)
        out.writeframes(np.ascontiguousarray(samples).tobytes())
    return buffer.getvalue(), samples.shape[0]
