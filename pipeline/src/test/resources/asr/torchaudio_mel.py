"""Reference mel power for MelFrontEndParityTest, from torchaudio's MelSpectrogram.

stdin: JSON {"sample_rate", "n_fft", "win_length", "hop_length", "n_mels", "f_min", "f_max",
"preemph", "signals": [path of raw little-endian float32 samples, ...]}.
For each signal, writes path + ".mel": float32 (n_mels, frames), C order. Prints the frame counts.
"""
import json
import sys

import numpy as np
import torch
import torchaudio

cfg = json.load(sys.stdin)
mel = torchaudio.transforms.MelSpectrogram(
    sample_rate=cfg["sample_rate"],
    n_fft=cfg["n_fft"],
    win_length=cfg["win_length"],
    hop_length=cfg["hop_length"],
    f_min=cfg["f_min"],
    f_max=cfg["f_max"],
    n_mels=cfg["n_mels"],
    # NeMo builds its window with periodic=False.
    window_fn=lambda n: torch.hann_window(n, periodic=False),
    power=2.0,
    center=True,
    pad_mode="constant",
    norm="slaney",
    mel_scale="slaney",
)
frames = []
for path in cfg["signals"]:
    x = torch.from_numpy(np.fromfile(path, dtype="<f4"))
    p = cfg["preemph"]
    x = torch.cat((x[:1], x[1:] - p * x[:-1]))
    out = mel(x).numpy().astype("<f4")
    out.tofile(path + ".mel")
    frames.append(out.shape[1])
print(json.dumps({"frames": frames, "torchaudio": torchaudio.__version__}))
