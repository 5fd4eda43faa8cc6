#!/usr/bin/python3
"""Generate the Nautilus sample data sets (speech, SFT, image-text) from offline sources.

Speech comes from espeak-ng reading short fortunes; SFT records are fortunes labelled with their
topic file; images are coloured shapes drawn here and captioned from what was drawn. Everything is
seeded, so a given --seed and the same Debian package versions reproduce identical bytes.

Only the Python standard library is used, so Debian's /usr/bin/python3 runs it as is.
"""

import argparse
import concurrent.futures
import json
import math
import os
import random
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import textwrap
import wave
import zlib

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_OUT = os.path.join(REPO_ROOT, "data", "sample")
DEFAULT_FORTUNES_DIR = "/usr/share/games/fortunes"
JPEG_CONVERTER = os.path.join(REPO_ROOT, "scripts", "PngToJpeg.java")

# Voices and variants that speak the default train/dev/test sets.
TRAIN_VOICES = ("en-us", "en-gb", "en-gb-x-rp", "en-gb-x-gbclan", "en-gb-x-gbcwmd")
TRAIN_VARIANTS = ("", "m1", "m2", "m3", "m4", "m5", "m6", "f1", "f2", "f3")
# Held out for evaluation on unseen speakers: never used by train/dev/test.
RESERVED_VOICES = ("en-gb-scotland", "en-029", "en-us-nyc")
RESERVED_VARIANTS = ("m7", "f4", "f5")
SPEEDS_WPM = (150, 165, 180, 195, 210)
ESPEAK_SAMPLE_RATE = 22050

# Topics whose short fortunes read well aloud; the politically or ethnically charged files and the
# technical ones full of symbols are left out.
ASR_TOPICS = (
    "computers", "cookie", "definitions", "disclaimer", "education", "food", "fortunes",
    "humorists", "kids", "law", "literature", "love", "medicine", "miscellaneous", "people",
    "pets", "platitudes", "riddles", "science", "songs-poems", "sports", "wisdom", "work",
)
SFT_TOPICS = ("computers", "science", "love", "food", "law", "sports")
SFT_TASKNAME = "fortune_topic"
SFT_MAX_CHARS = 300

# A share of the text pool is set aside before the splits are drawn, so a held-out set made later
# with the same seed and word limits never repeats a train/dev/test text.
HELDOUT_TEXT_SHARE = 0.08

SPEAKABLE = re.compile(r"^[A-Za-z .,;:!?'\"-]+$")
# Acronyms are spelled out letter by letter and single-letter abbreviations ("n.:", "U.S.") are
# read unpredictably; either would make the audio disagree with the transcript.
ACRONYM = re.compile(r"[A-Z]{2}")
LETTER_ABBREVIATION = re.compile(r"\b(?!I\b)[A-Za-z]\.")
# Dictionary-style entries ("revolutionary, adj.: Repackaged.") carry part-of-speech tags that
# espeak-ng reads as odd syllables.
PART_OF_SPEECH = re.compile(r"\b(n|v|vt|vi|adj|adv|pl|prep|conj|pron|interj)\b[.,:]")

APT_HINT_ESPEAK = "sudo apt-get install espeak-ng"
APT_HINT_FORTUNES = "sudo apt-get install fortunes fortunes-min"


class UserError(Exception):
    """A problem the user can fix; reported as one line with exit code 2."""


# ----------------------------------------------------------------------------------------------
# Fortunes


def read_fortunes(fortunes_dir, topic):
    path = os.path.join(fortunes_dir, topic)
    if not os.path.isfile(path):
        raise UserError(
            f"Cannot read fortunes: {path} does not exist; install the Debian packages with: "
            f"{APT_HINT_FORTUNES}"
        )
    with open(path, "rb") as f:
        # The files are ASCII with a few Latin-1 bytes; those fortunes are filtered out later.
        raw = f.read().decode("latin-1")
    # Old fortunes underline or embolden by overstriking ("c<BS>c"); keep the last character.
    raw = re.sub(".\x08", "", raw)
    return [chunk for chunk in re.split(r"(?m)^%\n", raw) if chunk.strip()]


def collapse(text):
    return " ".join(text.split())


def speech_text(chunk, min_words, max_words):
    """The fortune as one line if espeak-ng would say exactly its words, else None."""
    lines = [line for line in chunk.split("\n") if not line.strip().startswith("--")]
    text = collapse(" ".join(lines))
    if not text or not SPEAKABLE.match(text) or "--" in text:
        return None
    if ACRONYM.search(text) or LETTER_ABBREVIATION.search(text) or PART_OF_SPEECH.search(text):
        return None
    if not re.search(r"[a-z]", text):
        return None
    words = [w for w in text.split() if re.search(r"[A-Za-z]", w)]
    if not min_words <= len(words) <= max_words:
        return None
    return text


def speech_pool(fortunes_dir, min_words, max_words):
    texts = set()
    for topic in ASR_TOPICS:
        for chunk in read_fortunes(fortunes_dir, topic):
            text = speech_text(chunk, min_words, max_words)
            if text:
                texts.add(text)
    # Sorting first makes the shuffle independent of file and set iteration order.
    return sorted(texts)


# ----------------------------------------------------------------------------------------------
# Speech


def require_espeak():
    if shutil.which("espeak-ng") is None:
        raise UserError(
            "Cannot synthesise speech: espeak-ng is not on PATH; install it with: "
            + APT_HINT_ESPEAK
        )
    listed = subprocess.run(
        ["espeak-ng", "--voices=en"], capture_output=True, text=True, check=False
    ).stdout.split()
    missing = [v for v in TRAIN_VOICES + RESERVED_VOICES if v not in listed]
    if missing:
        raise UserError(
            f"Cannot synthesise speech: espeak-ng lacks the voices {missing}; install them with: "
            f"{APT_HINT_ESPEAK}"
        )


def speaker_name(voice, variant):
    return f"{voice}+{variant}" if variant else voice


def parse_split(value):
    try:
        parts = [float(p) for p in value.split(",")]
    except ValueError:
        parts = []
    if len(parts) != 3 or any(p < 0 for p in parts) or sum(parts) <= 0 or parts[0] <= 0:
        raise argparse.ArgumentTypeError(
            f"Cannot parse --split {value!r}: expected three non-negative TRAIN,DEV,TEST ratios "
            "with TRAIN > 0, e.g. 0.8,0.1,0.1"
        )
    total = sum(parts)
    return tuple(p / total for p in parts)


def split_counts(total, ratios):
    dev = round(total * ratios[1])
    test = round(total * ratios[2])
    return {"train": total - dev - test, "dev": dev, "test": test}


def partition_texts(pool, ratios, rng):
    """Disjoint text pools for heldout, train, dev and test, drawn from one shuffle."""
    texts = list(pool)
    rng.shuffle(texts)
    heldout_n = max(1, round(len(texts) * HELDOUT_TEXT_SHARE))
    heldout, rest = texts[:heldout_n], texts[heldout_n:]
    dev_n = max(1, round(len(rest) * ratios[1])) if ratios[1] > 0 else 0
    test_n = max(1, round(len(rest) * ratios[2])) if ratios[2] > 0 else 0
    return {
        "heldout": heldout,
        "dev": rest[:dev_n],
        "test": rest[dev_n : dev_n + test_n],
        "train": rest[dev_n + test_n :],
    }


def plan_utterances(split, count, texts, speakers, rng):
    """Assign text, speaker and speed to each utterance of one split.

    Texts are used once each before any repeats; a repeated text gets the next combination in a
    shuffled list, so no text is ever spoken twice by the same speaker at the same speed.
    """
    if count > 0 and not texts:
        raise UserError(f"Cannot plan the {split} split: no texts are left for it; widen the words")
    combos = [(v, var, s) for (v, var) in speakers for s in SPEEDS_WPM]
    rng.shuffle(combos)
    if count > len(texts) * len(combos):
        raise UserError(
            f"Cannot plan {count} {split} utterances: {len(texts)} texts x {len(combos)} "
            "voice/speed combinations is too few; widen --min-words/--max-words"
        )
    offsets = [rng.randrange(len(combos)) for _ in texts]
    order = list(range(len(texts)))
    rng.shuffle(order)
    plan = []
    for i in range(count):
        slot = order[i % len(texts)]
        voice, variant, speed = combos[(offsets[slot] + i // len(texts)) % len(combos)]
        plan.append(
            {
                "name": f"{split}_{i:06d}.wav",
                "text": texts[slot],
                "voice": voice,
                "variant": variant,
                "speed": speed,
            }
        )
    return plan


def synthesise(item, wav_dir):
    path = os.path.join(wav_dir, item["name"])
    partial = path + ".partial"
    voice = speaker_name(item["voice"], item["variant"])
    # Text goes through stdin so a fortune starting with "-" is never taken for an option.
    proc = subprocess.run(
        ["espeak-ng", "-v", voice, "-s", str(item["speed"]), "-w", partial, "--stdin"],
        input=item["text"] + "\n",
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0 or not os.path.isfile(partial):
        raise RuntimeError(
            f"Cannot synthesise {item['name']}: espeak-ng -v {voice} exited with "
            f"{proc.returncode}: {proc.stderr.strip()}"
        )
    with wave.open(partial, "rb") as w:
        params = (w.getnchannels(), w.getsampwidth(), w.getframerate())
        frames = w.getnframes()
    if params != (1, 2, ESPEAK_SAMPLE_RATE):
        raise RuntimeError(
            f"Cannot accept {item['name']}: expected mono 16-bit {ESPEAK_SAMPLE_RATE} Hz, got "
            f"channels/bytes/rate {params}"
        )
    os.replace(partial, path)
    return frames / ESPEAK_SAMPLE_RATE


def manifest_line(item, duration):
    return {
        "audio_filepath": f"wavs/{item['name']}",
        "duration": round(duration, 6),
        "text": item["text"],
        "speaker": speaker_name(item["voice"], item["variant"]),
        "speed": item["speed"],
    }


def render_speech(out_dir, splits, jobs):
    """splits: {manifest file name: plan}. Writes wavs/ and one manifest per split."""
    wav_dir = os.path.join(out_dir, "wavs")
    os.makedirs(wav_dir, exist_ok=True)
    items = [item for plan in splits.values() for item in plan]
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        durations = list(pool.map(lambda item: synthesise(item, wav_dir), items))
    by_name = {item["name"]: d for item, d in zip(items, durations)}
    for manifest, plan in splits.items():
        lines = [json.dumps(manifest_line(it, by_name[it["name"]]), ensure_ascii=False)
                 for it in plan]
        write_text(os.path.join(out_dir, manifest), "".join(line + "\n" for line in lines))


def make_asr(args, out_dir):
    require_espeak()
    rng = random.Random(f"{args.seed}:asr")
    pools = partition_texts(speech_pool(args.fortunes_dir, args.min_words, args.max_words),
                            args.split, rng)
    speakers = [(v, var) for v in TRAIN_VOICES for var in TRAIN_VARIANTS]
    counts = split_counts(args.utterances, args.split)
    splits = {
        f"{split}_manifest.json": plan_utterances(split, counts[split], pools[split], speakers, rng)
        for split in ("train", "dev", "test")
    }
    replace_dir(out_dir, ("wavs",),
                ("train_manifest.json", "dev_manifest.json", "test_manifest.json"))
    render_speech(out_dir, splits, args.jobs)


def make_heldout(args, out_dir):
    require_espeak()
    rng = random.Random(f"{args.seed}:asr")
    pools = partition_texts(speech_pool(args.fortunes_dir, args.min_words, args.max_words),
                            args.split, rng)
    speakers = [(v, var) for v in RESERVED_VOICES for var in ("",) + RESERVED_VARIANTS]
    held_rng = random.Random(f"{args.seed}:heldout")
    plan = plan_utterances("heldout", args.heldout_utterances, pools["heldout"], speakers, held_rng)
    replace_dir(out_dir, ("wavs",), ("heldout_manifest.json",))
    render_speech(out_dir, {"heldout_manifest.json": plan}, args.jobs)


# ----------------------------------------------------------------------------------------------
# SFT / prompt learning


def make_sft(args, out_dir):
    rng = random.Random(f"{args.seed}:sft")
    by_topic = {}
    seen_in = {}
    for topic in SFT_TOPICS:
        texts = set()
        for chunk in read_fortunes(args.fortunes_dir, topic):
            text = collapse(chunk)
            if len(text) <= SFT_MAX_CHARS and len(text.split()) >= 3 and text.isascii():
                texts.add(text)
        by_topic[topic] = texts
        for text in texts:
            seen_in.setdefault(text, set()).add(topic)
    splits = {"train": [], "val": [], "test": []}
    counts = split_counts(args.sft_per_topic, args.split)
    for topic in SFT_TOPICS:
        # A fortune filed under two topics has no single right answer.
        texts = sorted(t for t in by_topic[topic] if len(seen_in[t]) == 1)
        if len(texts) < args.sft_per_topic:
            raise UserError(
                f"Cannot take {args.sft_per_topic} SFT records from topic {topic}: it has only "
                f"{len(texts)} usable fortunes"
            )
        chosen = rng.sample(texts, args.sft_per_topic)
        bounds = {"train": (0, counts["train"]),
                  "val": (counts["train"], counts["train"] + counts["dev"]),
                  "test": (counts["train"] + counts["dev"], args.sft_per_topic)}
        for split, (lo, hi) in bounds.items():
            splits[split].extend(
                {"taskname": SFT_TASKNAME, "context": text, "answer": topic}
                for text in chosen[lo:hi]
            )
    replace_dir(out_dir, (), ("train.jsonl", "val.jsonl", "test.jsonl"))
    for split, records in splits.items():
        rng.shuffle(records)
        write_text(os.path.join(out_dir, f"{split}.jsonl"),
                   "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))


# ----------------------------------------------------------------------------------------------
# Image-text

COLOURS = {
    "red": (220, 30, 40), "green": (30, 150, 60), "blue": (40, 80, 220), "yellow": (245, 215, 40),
    "orange": (245, 140, 30), "purple": (130, 50, 170), "pink": (245, 140, 190),
    "brown": (130, 80, 40), "black": (20, 20, 20), "white": (250, 250, 250),
    "gray": (128, 128, 128), "cyan": (40, 200, 215),
}
BACKGROUNDS = ("white", "black", "gray", "yellow", "cyan", "pink")
SHAPES = ("circle", "square", "triangle", "diamond", "star")
RELATIONS = ("above", "below", "to the left of", "to the right of")
IMAGE_SIZES = ((64, 64), (80, 60), (96, 96), (100, 75), (120, 90), (128, 128), (160, 120),
               (120, 160), (72, 96), (144, 108))
JPEG_EVERY = 4


def inside_polygon(x, y, points):
    hit = False
    j = len(points) - 1
    for i, (xi, yi) in enumerate(points):
        xj, yj = points[j]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            hit = not hit
        j = i
    return hit


def shape_test(shape, cx, cy, r):
    if shape == "circle":
        return lambda x, y: (x - cx) ** 2 + (y - cy) ** 2 <= r * r
    if shape == "square":
        return lambda x, y: abs(x - cx) <= r * 0.85 and abs(y - cy) <= r * 0.85
    if shape == "diamond":
        return lambda x, y: abs(x - cx) + abs(y - cy) <= r
    if shape == "triangle":
        pts = [(cx, cy - r), (cx + r * 0.95, cy + r * 0.8), (cx - r * 0.95, cy + r * 0.8)]
    else:
        pts = []
        for k in range(10):
            radius = r if k % 2 == 0 else r * 0.45
            angle = -math.pi / 2 + k * math.pi / 5
            pts.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    return lambda x, y: inside_polygon(x, y, pts)


def draw(width, height, background, shapes):
    """shapes: [(shape, colour, cx, cy, r)]; returns rows of RGB bytes."""
    tests = [(shape_test(s, cx, cy, r), COLOURS[c], (cx - r, cy - r, cx + r, cy + r))
             for s, c, cx, cy, r in shapes]
    bg = COLOURS[background]
    rows = []
    for y in range(height):
        row = bytearray()
        for x in range(width):
            px, py = x + 0.5, y + 0.5
            colour = bg
            for test, fill, (x0, y0, x1, y1) in tests:
                if x0 <= px <= x1 and y0 <= py <= y1 and test(px, py):
                    colour = fill
            row.extend(colour)
        rows.append(bytes(row))
    return rows


def png_bytes(width, height, rows):
    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    raw = b"".join(b"\x00" + row for row in rows)
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9))
            + chunk(b"IEND", b""))


def with_article(phrase):
    return ("an " if phrase[0] in "aeiou" else "a ") + phrase


def compose(rng, width, height):
    background = rng.choice(BACKGROUNDS)
    palette = [c for c in COLOURS if c != background]
    if rng.random() < 0.3:
        shape, colour = rng.choice(SHAPES), rng.choice(palette)
        r = min(width, height) * rng.uniform(0.25, 0.42)
        side = min(width, height)
        size = "large " if r > side * 0.36 else "small " if r < side * 0.3 else ""
        caption = f"{with_article(f'{size}{colour} {shape}')} on a {background} background"
        return background, [(shape, colour, width / 2, height / 2, r)], caption
    first, second = rng.sample(SHAPES, 2)
    colour_a, colour_b = rng.sample(palette, 2)
    relation = rng.choice(RELATIONS)
    if relation in ("above", "below"):
        r = min(width, height / 2) * 0.38
        top, bottom = (height * 0.25, height * 0.75)
        ya, yb = (top, bottom) if relation == "above" else (bottom, top)
        placed = [(first, colour_a, width / 2, ya, r), (second, colour_b, width / 2, yb, r)]
    else:
        r = min(width / 2, height) * 0.38
        left, right = (width * 0.25, width * 0.75)
        xa, xb = (left, right) if relation == "to the left of" else (right, left)
        placed = [(first, colour_a, xa, height / 2, r), (second, colour_b, xb, height / 2, r)]
    caption = (f"{with_article(f'{colour_a} {first}')} {relation} "
               f"{with_article(f'{colour_b} {second}')} on a {background} background")
    return background, placed, caption


def make_image_text(args, out_dir):
    rng = random.Random(f"{args.seed}:image_text")
    replace_dir(out_dir, ("images",), ("manifest.jsonl",))
    image_dir = os.path.join(out_dir, "images")
    os.makedirs(image_dir)
    records, conversions = [], []
    with tempfile.TemporaryDirectory() as scratch:
        for i in range(args.images):
            width, height = rng.choice(IMAGE_SIZES)
            background, shapes, caption = compose(rng, width, height)
            png = png_bytes(width, height, draw(width, height, background, shapes))
            as_jpeg = not args.no_jpeg and i % JPEG_EVERY == JPEG_EVERY - 1
            name = f"img_{i:05d}.{'jpg' if as_jpeg else 'png'}"
            if as_jpeg:
                source = os.path.join(scratch, f"img_{i:05d}.png")
                with open(source, "wb") as f:
                    f.write(png)
                conversions += [source, os.path.join(image_dir, name)]
            else:
                with open(os.path.join(image_dir, name), "wb") as f:
                    f.write(png)
            records.append({"image_filepath": f"images/{name}", "caption": caption,
                            "width": width, "height": height})
        if conversions:
            to_jpeg(conversions)
    write_text(os.path.join(out_dir, "manifest.jsonl"),
               "".join(json.dumps(r) + "\n" for r in records))


def to_jpeg(pairs):
    if shutil.which("java") is None:
        raise UserError(
            "Cannot write JPEG images: java is not on PATH; install a JDK 17 "
            "(sudo apt-get install openjdk-17-jdk-headless) or pass --no-jpeg"
        )
    proc = subprocess.run(["java", JPEG_CONVERTER, *pairs], capture_output=True, text=True,
                          check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"Cannot write JPEG images: {JPEG_CONVERTER} exited with "
                           f"{proc.returncode}: {proc.stderr.strip()}")


# ----------------------------------------------------------------------------------------------
# Files and README


def write_text(path, text):
    partial = path + ".partial"
    with open(partial, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    os.replace(partial, path)


def replace_dir(path, owned_dirs, owned_files):
    """Empty a set's folder, refusing when it holds anything this script would not have written."""
    if os.path.isdir(path):
        strangers = sorted(e for e in os.listdir(path)
                           if e not in owned_dirs and e not in owned_files
                           and not e.endswith(".partial"))
        if strangers:
            raise UserError(
                f"Cannot replace {path}: it holds files this script does not write "
                f"{strangers[:5]}; "
                "move them or choose another --out"
            )
        for entry in os.listdir(path):
            full = os.path.join(path, entry)
            if os.path.isdir(full):
                shutil.rmtree(full)
            else:
                os.remove(full)
    os.makedirs(path, exist_ok=True)


def tree_size(path):
    total, files = 0, 0
    for root, _, names in os.walk(path):
        for name in names:
            total += os.path.getsize(os.path.join(root, name))
            files += 1
    return total, files


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def package_version(name):
    try:
        proc = subprocess.run(["dpkg-query", "-W", "-f=${Version}", name], capture_output=True,
                              text=True, check=False)
    except OSError:
        return "unknown"
    return proc.stdout.strip() or "unknown"


def summarise(out):
    """Measured facts about what is in `out`, as a dict for the README and the console."""
    facts = {}
    for name in ("asr", "asr_heldout", "sft", "image_text"):
        path = os.path.join(out, name)
        if os.path.isdir(path):
            facts[name] = {"bytes": tree_size(path)[0], "files": tree_size(path)[1]}
    for name, manifests in (("asr", ("train", "dev", "test")), ("asr_heldout", ("heldout",))):
        if name not in facts:
            continue
        for split in manifests:
            lines = read_jsonl(os.path.join(out, name, f"{split}_manifest.json"))
            facts[name][split] = {
                "utterances": len(lines),
                "texts": len({line["text"] for line in lines}),
                "seconds": sum(line["duration"] for line in lines),
                "speakers": sorted({line["speaker"] for line in lines}),
            }
    if "sft" in facts:
        for split in ("train", "val", "test"):
            records = read_jsonl(os.path.join(out, "sft", f"{split}.jsonl"))
            topics = {}
            for r in records:
                topics[r["answer"]] = topics.get(r["answer"], 0) + 1
            facts["sft"][split] = {"records": len(records), "topics": topics}
    if "image_text" in facts:
        records = read_jsonl(os.path.join(out, "image_text", "manifest.jsonl"))
        facts["image_text"]["records"] = len(records)
        facts["image_text"]["png"] = sum(r["image_filepath"].endswith(".png") for r in records)
        facts["image_text"]["jpeg"] = sum(r["image_filepath"].endswith(".jpg") for r in records)
        facts["image_text"]["sizes"] = sorted({(r["width"], r["height"]) for r in records})
    return facts


def regeneration_command(args):
    parts = ["/usr/bin/python3 scripts/make_sample_data.py", f"--seed {args.seed}"]
    defaults = build_parser().parse_args([])
    for flag, attr in (("--utterances", "utterances"), ("--min-words", "min_words"),
                       ("--max-words", "max_words"), ("--sft-per-topic", "sft_per_topic"),
                       ("--images", "images"), ("--heldout-utterances", "heldout_utterances")):
        if getattr(args, attr) != getattr(defaults, attr):
            parts.append(f"{flag} {getattr(args, attr)}")
    if args.split != defaults.split:
        parts.append("--split " + ",".join(f"{r:g}" for r in args.split))
    if args.sets != defaults.sets:
        parts.append(f"--sets {args.sets}")
    if args.no_jpeg:
        parts.append("--no-jpeg")
    if args.heldout:
        parts.append("--heldout")
    if os.path.abspath(args.out) != DEFAULT_OUT:
        parts.append(f"--out {args.out}")
    return " ".join(parts)


def kib(n):
    return f"{n / 1024:,.1f} KiB" if n < 1024 * 1024 else f"{n / 1024 / 1024:,.2f} MiB"


def readme(args, facts):
    total = sum(f["bytes"] for f in facts.values())
    speakers = sorted({s for split in ("train", "dev", "test")
                       for s in facts.get("asr", {}).get(split, {}).get("speakers", [])})
    lines = [
        "# Nautilus sample data",
        "",
        "Small, real data sets shipped with the repository so that every job can be tried and",
        "tested without downloads. Everything here is generated offline by",
        "`scripts/make_sample_data.py`; do not edit the files by hand.",
        "",
        "Regenerate (from the repository root, needs the Debian packages `espeak-ng`, `fortunes`,",
        "`fortunes-min` and a JDK for the JPEG images):",
        "",
        "```",
        regeneration_command(args),
        "```",
        "",
        f"The output is byte-identical for the same seed and package versions (measured with "
        f"espeak-ng {package_version('espeak-ng')}, fortunes {package_version('fortunes')}, "
        f"fortunes-min {package_version('fortunes-min')}).",
        "",
        "Bigger sets for benchmarks go elsewhere, for example 20,000 utterances on 8 processes:",
        "",
        "```",
        "/usr/bin/python3 scripts/make_sample_data.py --out /tmp/bench --utterances 20000 "
        "--split 0.98,0.01,0.01 --max-words 12 --jobs 8 --sets asr",
        "```",
        "",
        "Large runs reuse texts with other voices and speeds; a text never moves between splits.",
        "",
        f"Total size of the sets below: {total:,} bytes ({kib(total)}).",
        "",
    ]
    if "asr" in facts:
        a = facts["asr"]
        lines += [
            "## `asr/`: speech recognition",
            "",
            "Short fortunes (" + f"{args.min_words}-{args.max_words}" + " words, letters and "
            "punctuation only, no digits, acronyms or attribution lines) read by espeak-ng. "
            "`wavs/*.wav` are the files exactly as `espeak-ng -w` writes them: 22,050 Hz, mono, "
            "16-bit PCM.",
            "`train_manifest.json`, `dev_manifest.json` and `test_manifest.json` are NeMo "
            "manifests "
            "(JSON Lines) with `audio_filepath` relative to the manifest's folder, `duration` in "
            "seconds computed from the WAV header, `text` as the fortune reads (case and "
            "punctuation kept, whitespace collapsed; the prepare job normalises), `speaker` "
            "(espeak-ng voice+variant) and `speed` (words per minute).",
            "",
            "| split | utterances | distinct texts | audio seconds | speakers |",
            "|---|---|---|---|---|",
        ]
        for split in ("train", "dev", "test"):
            s = a[split]
            lines.append(f"| {split} | {s['utterances']} | {s['texts']} | {s['seconds']:.1f} | "
                         f"{len(s['speakers'])} |")
        lines += [
            "",
            f"{a['files']} files, {a['bytes']:,} bytes ({kib(a['bytes'])}). Texts are disjoint "
            "between train, dev and test.",
            f"Speeds: {', '.join(str(s) for s in SPEEDS_WPM)} wpm. "
            f"Speakers used ({len(speakers)}): "
            + ", ".join(f"`{s}`" for s in speakers) + ".",
            "",
        ]
    lines += [
        "### Reserved voices: held out for evaluation",
        "",
        "The voices " + ", ".join(f"`{v}`" for v in RESERVED_VOICES) + " and the variants "
        + ", ".join(f"`+{v}`" for v in RESERVED_VARIANTS) + " never speak any train, dev or test "
        "utterance produced by default, so a model can be evaluated on speakers it never heard. "
        "`ShippedSampleTest` enforces this for the shipped manifests. `--heldout` writes "
        "`asr_heldout/heldout_manifest.json` spoken only by the reserved voices (with no variant "
        "or a reserved one); its texts come from a share of the text pool set aside before the "
        "splits are drawn, so they never occur in train, dev or test for the same seed and word "
        "limits.",
        "",
    ]
    if "asr_heldout" in facts:
        h = facts["asr_heldout"]
        lines += [f"`asr_heldout/`: {h['heldout']['utterances']} utterances, "
                  f"{h['heldout']['seconds']:.1f} s, {h['bytes']:,} bytes.", ""]
    if "sft" in facts:
        s = facts["sft"]
        lines += [
            "## `sft/`: SFT and prompt learning",
            "",
            "`train.jsonl`, `val.jsonl`, `test.jsonl`: fortunes labelled with the name of the "
            "topic "
            f"file they come from, `{{\"taskname\": \"{SFT_TASKNAME}\", \"context\": <fortune>, "
            "\"answer\": <topic>}`. Whitespace is collapsed; fortunes longer than "
            f"{SFT_MAX_CHARS} characters or filed under two topics are left out. Texts are unique "
            "and disjoint across splits; each topic has the same number of records per split.",
            "",
            "| split | records | per topic |",
            "|---|---|---|",
        ]
        for split in ("train", "val", "test"):
            topics = ", ".join(f"{t} {n}" for t, n in sorted(s[split]["topics"].items()))
            lines.append(f"| {split} | {s[split]['records']} | {topics} |")
        lines += ["", f"{s['files']} files, {s['bytes']:,} bytes ({kib(s['bytes'])}).", ""]
    if "image_text" in facts:
        im = facts["image_text"]
        sizes = ", ".join(f"{w}x{h}" for w, h in im["sizes"])
        lines += [
            "## `image_text/`: image-caption pairs",
            "",
            "Generated pictures of one or two coloured shapes on a plain background, captioned "
            "from "
            "what was drawn (\"a red circle above a blue square on a white background\"). "
            "`manifest.jsonl` has `image_filepath` (relative), `caption`, `width` and `height`.",
            f"{im['records']} images: {im['png']} PNG and {im['jpeg']} JPEG (written by "
            "`scripts/PngToJpeg.java` through Java's ImageIO, quality 0.9). Sizes vary so that "
            f"resolution filters have work to do: {sizes}.",
            "",
            f"{im['files']} files, {im['bytes']:,} bytes ({kib(im['bytes'])}).",
            "",
        ]
    return "\n".join(wrap_markdown(lines)) + "\n"


def wrap_markdown(lines, width=100):
    """Wrap prose at `width`; tables, headings and code blocks stay as they are."""
    wrapped, in_code = [], False
    for line in lines:
        if line.startswith("```"):
            in_code = not in_code
        if in_code or line.startswith(("```", "|", "#")) or len(line) <= width:
            wrapped.append(line)
        else:
            wrapped.extend(textwrap.wrap(line, width, break_long_words=False,
                                         break_on_hyphens=False))
    return wrapped


# ----------------------------------------------------------------------------------------------
# Command line


def build_parser():
    p = argparse.ArgumentParser(
        description="Generate the Nautilus sample data: espeak-ng speech with NeMo manifests, "
        "fortune-topic SFT records and captioned shape images. Deterministic for a given --seed.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    p.add_argument("--out", default=DEFAULT_OUT, help="root folder; sets go to asr/, sft/, "
                   "image_text/ and asr_heldout/ under it (each is emptied first)")
    p.add_argument("--seed", type=int, default=7, help="seed for every random choice")
    p.add_argument("--sets", default="asr,sft,image_text",
                   help="comma-separated sets to write: asr, heldout, sft, image_text")
    p.add_argument("--utterances", type=int, default=96,
                   help="ASR utterances over train+dev+test")
    p.add_argument("--split", type=parse_split, default="0.8,0.1,0.1",
                   help="TRAIN,DEV,TEST ratios for ASR utterances and SFT records")
    p.add_argument("--min-words", type=int, default=3, help="fewest words in an ASR text")
    p.add_argument("--max-words", type=int, default=6, help="most words in an ASR text")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                   help="espeak-ng processes run in parallel")
    p.add_argument("--heldout", action="store_true",
                   help="also write asr_heldout/ spoken only by the reserved voices and variants")
    p.add_argument("--heldout-utterances", type=int, default=40,
                   help="utterances in the held-out set")
    p.add_argument("--sft-per-topic", type=int, default=60, help="SFT records per topic")
    p.add_argument("--images", type=int, default=60, help="image-caption pairs")
    p.add_argument("--no-jpeg", action="store_true",
                   help="write every image as PNG (no Java needed)")
    p.add_argument("--fortunes-dir", default=DEFAULT_FORTUNES_DIR,
                   help="where the fortunes packages put their topic files")
    return p


def main(argv):
    args = build_parser().parse_args(argv)
    sets = [s for s in args.sets.split(",") if s]
    unknown = [s for s in sets if s not in ("asr", "heldout", "sft", "image_text")]
    if unknown:
        raise UserError(f"Cannot parse --sets {args.sets!r}: unknown sets {unknown}")
    if args.heldout and "heldout" not in sets:
        sets.append("heldout")
    for flag, value in (("--utterances", args.utterances), ("--jobs", args.jobs),
                        ("--min-words", args.min_words), ("--images", args.images),
                        ("--sft-per-topic", args.sft_per_topic),
                        ("--heldout-utterances", args.heldout_utterances)):
        if value < 1:
            raise UserError(f"Cannot use {flag} {value}: it must be at least 1")
    if args.max_words < args.min_words:
        raise UserError(f"Cannot use --max-words {args.max_words}: it is below --min-words "
                        f"{args.min_words}")
    out = os.path.abspath(args.out)
    makers = {"asr": (make_asr, "asr"), "heldout": (make_heldout, "asr_heldout"),
              "sft": (make_sft, "sft"), "image_text": (make_image_text, "image_text")}
    for name in ("asr", "heldout", "sft", "image_text"):
        if name in sets:
            maker, folder = makers[name]
            print(f"writing {os.path.join(out, folder)}", file=sys.stderr)
            maker(args, os.path.join(out, folder))
    facts = summarise(out)
    write_text(os.path.join(out, "README.md"), readme(args, facts))
    total, files = tree_size(out)
    print(json.dumps({k: {"bytes": v["bytes"], "files": v["files"]} for k, v in facts.items()}),
          file=sys.stderr)
    print(f"total under {out}: {total:,} bytes in {files} files", file=sys.stderr)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except UserError as e:
        print(f"make_sample_data: {e}", file=sys.stderr)
        sys.exit(2)
