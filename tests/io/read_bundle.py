"""Independent reader of an unzipped DaRec Playground bundle, using only the standard library and numpy.

Usage: python3 read_bundle.py <dir>. Prints one JSON object: every .npy (numpy.load), every tensor of
every .safetensors file (parsed by hand: u64 header length, JSON header, numpy.frombuffer), manifest
CRC checks (zlib.crc32), id maps, history header, and the top-20 items of user 0 scored as the README
says (cf_users @ cf_items.T with training items masked).
"""
import glob
import json
import os
import struct
import sys
import zlib

import numpy as np

DTYPES = {"F32": "<f4", "I32": "<i4", "F64": "<f8", "I64": "<i8"}


def read_safetensors(path):
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + n].decode("utf-8"))
    data_start = 8 + n
    meta = header.pop("__metadata__", {})
    tensors = {}
    for name, info in header.items():
        b, e = info["data_offsets"]
        arr = np.frombuffer(raw[data_start + b : data_start + e], dtype=DTYPES[info["dtype"]]).reshape(info["shape"])
        tensors[name] = arr
    return {"header_len": n, "data_start": data_start, "metadata": meta, "tensors": tensors}


def main(root):
    out = {"npy": {}, "safetensors": {}, "crc_ok": {}, "id_maps": {}}
    for path in sorted(glob.glob(os.path.join(root, "embeddings", "*.npy"))):
        a = np.load(path)
        out["npy"][os.path.basename(path)[:-4]] = {"shape": list(a.shape), "dtype": str(a.dtype), "values": a.ravel().astype(float).tolist()}
    for path in sorted(glob.glob(os.path.join(root, "*.safetensors"))):
        st = read_safetensors(path)
        out["safetensors"][os.path.basename(path)] = {
            "data_start": st["data_start"],
            "metadata": st["metadata"],
            "tensors": {
                k: {"shape": list(v.shape), "dtype": str(v.dtype), "values": v.ravel().tolist()} for k, v in st["tensors"].items()
            },
        }
    manifest = json.load(open(os.path.join(root, "manifest.json"), encoding="utf-8"))
    for f in manifest["files"]:
        with open(os.path.join(root, f["path"]), "rb") as fh:
            data = fh.read()
        out["crc_ok"][f["path"]] = len(data) == f["bytes"] and format(zlib.crc32(data), "08x") == f["crc32"]
    for side in ("users", "items"):
        lines = open(os.path.join(root, "id_map_%s.tsv" % side), encoding="utf-8").read().splitlines()
        out["id_maps"][side] = {"header": lines[0], "count": len(lines) - 1, "first": lines[1].split("\t", 1)[1]}
    out["history_header"] = open(os.path.join(root, "history.csv"), encoding="utf-8").readline().strip().split(",")
    out["config_dim"] = json.load(open(os.path.join(root, "config.json"), encoding="utf-8"))["model"]["embeddingSize"]

    users = np.load(os.path.join(root, "embeddings", "cf_users.npy"))
    items = np.load(os.path.join(root, "embeddings", "cf_items.npy"))
    train = read_safetensors(os.path.join(root, "train_interactions.safetensors"))["tensors"]
    u = 0
    # float64 so near-ties order the same as the double-precision check in the test.
    scores = users[u].astype(np.float64) @ items.astype(np.float64).T
    scores[train["item"][train["user"] == u]] = -np.inf
    out["top_user0"] = np.argsort(-scores, kind="stable")[:20].tolist()
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1])
