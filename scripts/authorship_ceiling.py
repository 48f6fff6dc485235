#!/usr/bin/env python3
"""How far can the content signal go on ai-dev? An exploration, not a test.

Scores leave-one-repository-out (the same protocol as `blastradius eval
authorship`) with three model families and prints pooled and per-repository
ROC AUC:

1. logistic regression on the shipped feature table (what ships, for
   reference; several L2 strengths);
2. gradient-boosted trees on the same features (interactions and
   non-linear shapes the linear model cannot express);
3. logistic regression on TF-IDF character 2-4-grams of the added lines
   (no hand-made features at all).

Needs scikit-learn and numpy (`pip install scikit-learn numpy`).
Usage:
  blastradius train authorship ../shared/corpus/ai-dev --out /dev/null \
      --dump-features /tmp/feat.csv
  python3 scripts/authorship_ceiling.py /tmp/feat.csv ../shared/corpus/ai-dev
"""
import csv
import sys

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

from ceiling_common import standardised_scores

feat_csv, corpus = sys.argv[1], sys.argv[2].rstrip("/") + "/"
rows = list(csv.DictReader(open(feat_csv)))
names = [k for k in rows[0] if k not in ("id", "repo", "label")]
X = np.array([[float(r[f]) for f in names] for r in rows])
y = np.array([r["label"] == "ai" for r in rows]).astype(int)
repo = np.array([r["repo"] for r in rows])


def added_lines(i):
    text = open(f"{corpus}{i}.code.diff", encoding="utf-8", errors="replace").read()
    return "\n".join(
        l[1:] for l in text.split("\n") if l.startswith("+") and not l.startswith("+++")
    )


def loro(fit_score):
    s = np.zeros(len(y))
    per = {}
    for rp in sorted(set(repo)):
        tr, te = repo != rp, repo == rp
        s[te] = fit_score(tr, te)
        per[rp.split("/")[1]] = round(roc_auc_score(y[te], s[te]), 3)
    return round(roc_auc_score(y, s), 3), per


def table_model(make):
    return lambda tr, te: standardised_scores(make, X, y, tr, te, 3)


print("size only (log_added):", round(roc_auc_score(y, X[:, names.index("log_added")]), 3))
for c in (0.001, 0.005, 0.01, 0.05):
    print(f"features, logistic C={c}:", loro(table_model(lambda: LogisticRegression(C=c, max_iter=3000))))
for depth in (2, 3):
    print(
        f"features, boosted trees depth {depth}:",
        loro(table_model(lambda: HistGradientBoostingClassifier(
            max_depth=depth, learning_rate=0.03, max_iter=200, l2_regularization=1.0))),
    )
docs = [added_lines(r["id"]) for r in rows]


def ngram_model(c):
    def fit_score(tr, te):
        v = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), min_df=5,
                            sublinear_tf=True, max_features=50000)
        xtr = v.fit_transform([d for d, t in zip(docs, tr) if t])
        xte = v.transform([d for d, t in zip(docs, te) if t])
        return LogisticRegression(C=c, max_iter=3000).fit(xtr, y[tr]).decision_function(xte)

    return fit_score


for c in (1, 10):
    print(f"char 2-4-grams, logistic C={c}:", loro(ngram_model(c)))
