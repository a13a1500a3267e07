#!/usr/bin/env python3
r"""Generate a tiny BERT-style sentence-embedding model that transformers.js can load offline.

No model hub is reachable in CI and no npm/Debian package ships trained embedding weights, so the
tests use a real BERT graph with random (seeded) weights plus a WordPiece tokenizer.json. The
vectors mean nothing semantically; they exercise the full tokenizer -> ONNX -> pooling path.

Needs only numpy and onnx (Debian: python3-onnx); run with Debian's interpreter:

    PYENV_VERSION=system python3 scripts/make-tiny-model.py tests/fixtures/models/tiny-bert
    # MiniLM-sized (87 MB fp32 + 27 MB q8; benchmarks only, never commit it):
    PYENV_VERSION=system python3 scripts/make-tiny-model.py /tmp/minilm-random \
        --hidden 384 --layers 6 --heads 12 --intermediate 1536 --max-pos 512 --pad-vocab 30522

Output layout (the one transformers.js requests): config.json, tokenizer.json, tokenizer_config.json,
onnx/model.onnx (fp32) and, unless --no-quantized, onnx/model_quantized.onnx (dtype q8: int8 weights
dequantized in the graph). The output is byte-identical for the same options.
"""

import argparse
import json
import os
import string

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 17  # highest that Debian's python3-onnx 1.12 knows; gives LayerNormalization as one op

SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]

# Common words plus media/shop vocabulary so typical titles tokenize into whole words; anything
# else falls back to single-letter pieces (every letter and ##letter is in the vocab), so real
# text never collapses to [UNK] except for characters outside a-z/0-9/punctuation.
WORDS = """
the of and to in a is that for it as was with be by on not he i this are or his from at which but
have an they you were her she there been one all we their has would when if so no will what out
up more about into than them can only other new some could time these two may then do first any
my now such like our over man me even most made after also did many before must through back
years where much your way well down should because each just those people how too little state
good very make world still own see men work long get here between both life being under never day
same another know while last might us great old year off come since against go came right used
take three love story life day night man woman girl boy war king city house home world time life
dark light blue red black white green gold silver star stars moon sun sky sea fire water earth
wind ice snow rain storm summer winter spring fall heart soul mind dream dreams dead death live
lost last first final return rise secret hidden wild free true real big small little young old
new best great good bad high low deep part one two three four five six seven eight nine ten
american english french italian german spanish chinese japanese indian african british new york
los angeles paris london rome tokyo hollywood movie movies film films show series season episode
action adventure animation children comedy crime documentary drama fantasy noir horror musical
mystery romance sci fi thriller war western family music sport sports history biography short
book books novel novels edition volume vol guide cook cookbook recipe recipes kitchen food cake
chocolate vegan coffee tea wine beer bread pizza pasta salad soup chicken beef fish cheese fruit
apple orange banana lemon sugar salt honey butter milk cream ice cooking baking easy quick healthy
game games video play player players toy toys kids baby doll puzzle board card cards lego ball
phone case cover charger cable usb wireless bluetooth headphones speaker camera lens laptop tablet
computer keyboard mouse monitor screen tv battery power light lamp led smart watch clock
shirt shoes dress jacket pants jeans bag bags hat socks women men size small medium large black
white red blue green pink purple brown grey gray beauty hair skin face body oil soap cream care
home garden tool tools kitchen bath bed pillow chair table desk sofa office school art craft
paper pen pencil notebook printer ink paint brush car auto bike bicycle outdoor camping travel
pet dog dogs cat cats bird health fitness yoga vitamin music album song songs rock pop jazz blues
classical country rap hip hop band live greatest hits collection vol soundtrack original remastered
deluxe set pack box kit pro plus max mini ultra premium classic vintage modern digital electric
review reviews rated rating stars price cheap value quality great excellent perfect nice favorite
funny sad happy beautiful strange amazing boring terrible awesome fun interesting romantic scary
user users who liked like likes loved enjoyed watched bought read played item items categories
category title description genre genres tags by with from about for and or the a an
""".split()

PUNCT = list(string.punctuation)


def build_vocab(words_file, pad_vocab):
    vocab = []
    seen = set()

    def add(tok):
        if tok not in seen:
            seen.add(tok)
            vocab.append(tok)

    for t in SPECIALS:
        add(t)
    for c in string.ascii_lowercase + string.digits:
        add(c)
    for c in PUNCT:
        add(c)
    for c in string.ascii_lowercase + string.digits:
        add("##" + c)
    words = WORDS
    if words_file:
        with open(words_file, encoding="utf-8") as f:
            text = f.read().lower()
        # Keep only tokens the BertPreTokenizer would produce as whole words.
        words = words + [w for w in "".join(ch if ch.isalnum() else " " for ch in text).split()]
    for w in words:
        if w.isascii() and w.isalnum():
            add(w.lower())
    k = 0
    while len(vocab) < pad_vocab:
        add(f"[unused{k}]")
        k += 1
    return vocab


def tokenizer_json(vocab, max_len):
    ids = {t: i for i, t in enumerate(vocab)}
    added = [
        {
            "id": ids[t],
            "content": t,
            "single_word": False,
            "lstrip": False,
            "rstrip": False,
            "normalized": False,
            "special": True,
        }
        for t in SPECIALS
    ]

    def special(name):
        return {"id": name, "ids": [ids[name]], "tokens": [name]}

    return {
        "version": "1.0",
        "truncation": {"direction": "Right", "max_length": max_len, "strategy": "LongestFirst", "stride": 0},
        "padding": None,
        "added_tokens": added,
        "normalizer": {
            "type": "BertNormalizer",
            "clean_text": True,
            "handle_chinese_chars": True,
            "strip_accents": None,
            "lowercase": True,
        },
        "pre_tokenizer": {"type": "BertPreTokenizer"},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [
                {"SpecialToken": {"id": "[CLS]", "type_id": 0}},
                {"Sequence": {"id": "A", "type_id": 0}},
                {"SpecialToken": {"id": "[SEP]", "type_id": 0}},
            ],
            "pair": [
                {"SpecialToken": {"id": "[CLS]", "type_id": 0}},
                {"Sequence": {"id": "A", "type_id": 0}},
                {"SpecialToken": {"id": "[SEP]", "type_id": 0}},
                {"Sequence": {"id": "B", "type_id": 1}},
                {"SpecialToken": {"id": "[SEP]", "type_id": 1}},
            ],
            "special_tokens": {"[CLS]": special("[CLS]"), "[SEP]": special("[SEP]")},
        },
        "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": True},
        "model": {
            "type": "WordPiece",
            "unk_token": "[UNK]",
            "continuing_subword_prefix": "##",
            "max_input_chars_per_word": 100,
            "vocab": ids,
        },
    }


class Graph:
    """Collects nodes and initializers; names are generated so the output is deterministic."""

    def __init__(self, quantize):
        self.nodes = []
        self.inits = []
        self.quantize = quantize
        self.n = 0

    def name(self, base):
        self.n += 1
        return f"{base}_{self.n}"

    def const(self, name, arr):
        self.inits.append(numpy_helper.from_array(arr, name))
        return name

    def weight(self, name, arr):
        """A float weight; in the quantized variant stored as int8 + per-tensor scale."""
        arr = arr.astype(np.float32)
        if not self.quantize:
            return self.const(name, arr)
        scale = np.float32(max(float(np.abs(arr).max()), 1e-8) / 127.0)
        q = np.clip(np.round(arr / scale), -127, 127).astype(np.int8)
        self.const(name + "_q", q)
        self.const(name + "_scale", np.array(scale, dtype=np.float32))
        self.const(name + "_zp", np.array(0, dtype=np.int8))
        out = name + "_deq"
        self.nodes.append(helper.make_node("DequantizeLinear", [name + "_q", name + "_scale", name + "_zp"], [out]))
        return out

    def op(self, op_type, inputs, base=None, **attrs):
        out = self.name(base or op_type.lower())
        self.nodes.append(helper.make_node(op_type, inputs, [out], **attrs))
        return out


def build_model(args, vocab_size, quantize):
    rng = np.random.RandomState(args.seed)
    H, L, NH, FF = args.hidden, args.layers, args.heads, args.intermediate
    HD = H // NH
    def normal(std, *shape):
        return (rng.standard_normal(shape) * std).astype(np.float32)

    # Draw every weight first, in a fixed order, so fp32 and q8 variants share the same values.
    W = {
        # Word vectors dominate position/type ones so that texts sharing words get close vectors.
        "word": normal(1.0, vocab_size, H),
        "pos": normal(0.1, args.max_pos, H),
        "type": normal(0.1, 2, H),
    }
    for l in range(L):
        for k in ("q", "k", "v", "o"):
            # 1/sqrt(fan_in) keeps activations O(1) at any width (MiniLM-sized too).
            W[f"l{l}.{k}"] = normal(H ** -0.5, H, H)
            W[f"l{l}.{k}.b"] = np.zeros(H, np.float32)
        W[f"l{l}.ff1"] = normal(H ** -0.5, H, FF)
        W[f"l{l}.ff1.b"] = np.zeros(FF, np.float32)
        W[f"l{l}.ff2"] = normal(FF ** -0.5, FF, H)
        W[f"l{l}.ff2.b"] = np.zeros(H, np.float32)

    g = Graph(quantize)
    ones = g.const("ln_gamma", np.ones(H, np.float32))
    zeros = g.const("ln_beta", np.zeros(H, np.float32))

    def layer_norm(x):
        return g.op("LayerNormalization", [x, ones, zeros], axis=-1, epsilon=1e-12)

    def linear(x, w, b):
        return g.op("Add", [g.op("MatMul", [x, g.weight(w, W[w])]), g.const(b, W[b])])

    # Embeddings
    word = g.op("Gather", [g.weight("word_embeddings", W["word"]), "input_ids"], axis=0)
    ttype = g.op("Gather", [g.const("token_type_embeddings", W["type"]), "token_type_ids"], axis=0)
    shape = g.op("Shape", ["input_ids"])
    seq_len = g.op("Gather", [shape, g.const("one_idx", np.array(1, np.int64))], axis=0)
    positions = g.op(
        "Range",
        [g.const("zero_i64", np.array(0, np.int64)), seq_len, g.const("one_i64", np.array(1, np.int64))],
    )
    pos = g.op("Gather", [g.const("position_embeddings", W["pos"]), positions], axis=0)
    x = layer_norm(g.op("Add", [g.op("Add", [word, ttype]), pos]))

    # Additive attention mask [B,1,1,S]: 0 where attended, -1e4 on padding.
    m = g.op("Cast", ["attention_mask"], to=TensorProto.FLOAT)
    m = g.op("Sub", [g.const("one_f", np.array(1.0, np.float32)), m])
    m = g.op("Mul", [m, g.const("neg_big", np.array(-10000.0, np.float32))])
    mask = g.op("Unsqueeze", [m, g.const("mask_axes", np.array([1, 2], np.int64))])

    split_shape = g.const("split_heads_shape", np.array([0, 0, NH, HD], np.int64))
    merge_shape = g.const("merge_heads_shape", np.array([0, 0, H], np.int64))
    inv_sqrt = g.const("inv_sqrt_hd", np.array(1.0 / np.sqrt(HD), np.float32))
    sqrt2 = g.const("sqrt2", np.array(np.sqrt(2.0), np.float32))
    half = g.const("half", np.array(0.5, np.float32))
    one = g.const("one_f2", np.array(1.0, np.float32))

    for l in range(L):
        def heads(t, perm):
            return g.op("Transpose", [g.op("Reshape", [t, split_shape])], perm=perm)

        q = heads(linear(x, f"l{l}.q", f"l{l}.q.b"), [0, 2, 1, 3])  # [B,NH,S,HD]
        k = heads(linear(x, f"l{l}.k", f"l{l}.k.b"), [0, 2, 3, 1])  # [B,NH,HD,S]
        v = heads(linear(x, f"l{l}.v", f"l{l}.v.b"), [0, 2, 1, 3])
        scores = g.op("Add", [g.op("Mul", [g.op("MatMul", [q, k]), inv_sqrt]), mask])
        probs = g.op("Softmax", [scores], axis=-1)
        ctx = g.op("Transpose", [g.op("MatMul", [probs, v])], perm=[0, 2, 1, 3])
        ctx = g.op("Reshape", [ctx, merge_shape])
        x = layer_norm(g.op("Add", [linear(ctx, f"l{l}.o", f"l{l}.o.b"), x]))
        h = linear(x, f"l{l}.ff1", f"l{l}.ff1.b")
        # Exact (erf) GELU as in BERT.
        gelu = g.op("Mul", [g.op("Mul", [h, half]), g.op("Add", [g.op("Erf", [g.op("Div", [h, sqrt2])]), one])])
        x = layer_norm(g.op("Add", [linear(gelu, f"l{l}.ff2", f"l{l}.ff2.b"), x]))

    g.nodes.append(helper.make_node("Identity", [x], ["last_hidden_state"]))

    inputs = [
        helper.make_tensor_value_info(n, TensorProto.INT64, ["batch_size", "sequence_length"])
        for n in ("input_ids", "attention_mask", "token_type_ids")
    ]
    outputs = [
        helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT, ["batch_size", "sequence_length", H])
    ]
    graph = helper.make_graph(g.nodes, "tiny_bert", inputs, outputs, g.inits)
    model = helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="darec-make-tiny-model"
    )
    model.ir_version = 8
    onnx.checker.check_model(model, full_check=True)
    return model


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("out", help="output folder (created)")
    p.add_argument("--hidden", type=int, default=64)
    p.add_argument("--layers", type=int, default=2)
    p.add_argument("--heads", type=int, default=4)
    p.add_argument("--intermediate", type=int, default=128)
    p.add_argument("--max-pos", type=int, default=128, help="max positions = tokenizer model_max_length")
    p.add_argument("--vocab", "--pad-vocab", dest="pad_vocab", type=int, default=0,
                   help="pad the vocabulary with [unusedN] tokens up to this size")
    p.add_argument("--vocab-from", default=None, help="add the words of this text file to the vocabulary")
    p.add_argument("--seed", type=int, default=1234)
    p.add_argument("--no-quantized", action="store_true", help="skip onnx/model_quantized.onnx")
    args = p.parse_args()
    if args.hidden % args.heads:
        p.error("--hidden must be a multiple of --heads")

    vocab = build_vocab(args.vocab_from, args.pad_vocab)
    os.makedirs(os.path.join(args.out, "onnx"), exist_ok=True)

    def write_json(name, obj):
        with open(os.path.join(args.out, name), "w", encoding="utf-8", newline="\n") as f:
            json.dump(obj, f, indent=1, ensure_ascii=False, sort_keys=False)
            f.write("\n")

    write_json("tokenizer.json", tokenizer_json(vocab, args.max_pos))
    write_json(
        "tokenizer_config.json",
        {
            "tokenizer_class": "BertTokenizer",
            "do_lower_case": True,
            "model_max_length": args.max_pos,
            "clean_up_tokenization_spaces": True,
            "cls_token": "[CLS]",
            "sep_token": "[SEP]",
            "pad_token": "[PAD]",
            "unk_token": "[UNK]",
            "mask_token": "[MASK]",
        },
    )
    write_json(
        "config.json",
        {
            "model_type": "bert",
            "architectures": ["BertModel"],
            "hidden_size": args.hidden,
            "num_hidden_layers": args.layers,
            "num_attention_heads": args.heads,
            "intermediate_size": args.intermediate,
            "max_position_embeddings": args.max_pos,
            "type_vocab_size": 2,
            "vocab_size": len(vocab),
            "hidden_act": "gelu",
            "layer_norm_eps": 1e-12,
            "pad_token_id": 0,
            "_note": f"random weights (seed {args.seed}) from scripts/make-tiny-model.py; for tests only",
        },
    )
    onnx.save(build_model(args, len(vocab), False), os.path.join(args.out, "onnx", "model.onnx"))
    if not args.no_quantized:
        onnx.save(build_model(args, len(vocab), True), os.path.join(args.out, "onnx", "model_quantized.onnx"))

    total = 0
    for root, _, files in os.walk(args.out):
        for f in files:
            total += os.path.getsize(os.path.join(root, f))
    print(f"{args.out}: vocab {len(vocab)}, hidden {args.hidden}, layers {args.layers}, {total / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
