#!/usr/bin/env python3
"""Makes the two fallback fonts of this folder (a one-off tool; the repository ships only
its result). Needs fonttools (`pip install fonttools`) and three packages' files:

  HanaMinB.ttf         Debian `fonts-hanazono` (20170904-2.1), usr/share/fonts/truetype/hanazono/
  Unihan_*.txt.bz2     Debian `unicode-data` (15.0.0-1), usr/share/unicode/
  NotoEmoji_400Regular.ttf  npm `@expo-google-fonts/noto-emoji` (0.4.7), 400Regular/

  python3 make-fallbacks.py HANAMINB.ttf UNIHAN_DIR NOTOEMOJI.ttf ../NotoSansSC-Regular.otf OUT_DIR

HanaMinB is subset to the ideographs beyond the BMP that Noto Sans SC lacks and that
either (a) some national or regional standard requires (Unihan's kUnihanCore2020: the
通用规范汉字表 and GB 18030-2022, HKSCS, JIS X 0213, …; 𠀾 is an HKSCS character), or
(b) lie in CJK Extension B and have a Mandarin reading (kMandarin: every Extension B
character a Mandarin speaker can read out, 𪚥 among them; a name is registered with its
pinyin). Hints are dropped (the PDFs are printed and zoomed, never hinted). Noto Emoji
(monochrome outlines, fine in PDF/A) is copied whole: it is under 1 MB.
"""

import bz2
import os
import shutil
import sys

from fontTools import subset
from fontTools.ttLib import TTFont


def unihan(dir, fields):
    out = {f: set() for f in fields}
    for name in os.listdir(dir):
        if not name.startswith("Unihan_"):
            continue
        for line in bz2.open(os.path.join(dir, name), "rt", encoding="utf-8"):
            if line.startswith("#") or not line.strip():
                continue
            cp, field, _ = line.rstrip("\n").split("\t", 2)
            if field in out:
                out[field].add(int(cp[2:], 16))
    return out


def main(hanamin, unihan_dir, emoji, noto, out_dir):
    f = unihan(unihan_dir, ["kUnihanCore2020", "kMandarin"])
    ext_b = range(0x20000, 0x2A6E0)
    wanted = {c for c in f["kUnihanCore2020"] if c >= 0x10000}
    wanted |= {c for c in f["kMandarin"] if c in ext_b}
    have = set(TTFont(noto).getBestCmap())
    cmap = TTFont(hanamin, lazy=True).getBestCmap()
    chars = sorted(c for c in wanted if c in cmap and c not in have)
    options = subset.Options()
    options.hinting = False
    options.drop_tables += ["FFTM"]
    options.name_IDs = ["*"]
    font = subset.load_font(hanamin, options)
    s = subset.Subsetter(options)
    s.populate(unicodes=chars)
    s.subset(font)
    out = os.path.join(out_dir, "HanaMinB-Subset.ttf")
    subset.save_font(font, out, options)
    print(f"{out}: {len(chars)} characters, {os.path.getsize(out)} bytes")
    shutil.copyfile(emoji, os.path.join(out_dir, "NotoEmoji-Regular.ttf"))


if __name__ == "__main__":
    main(*sys.argv[1:6])
