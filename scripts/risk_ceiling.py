#!/usr/bin/env python3
"""How far can the change score go with the shipped features? An
exploration, not a test.

Scores the risk-dev commits out of sample with the shipped change features
(logistic regression at several L2 strengths, as shipped, and gradient-
boosted trees, which can use interactions and non-linear shapes) under
5-fold stratified cross-validation and train-on-one-repository,
test-on-the-other, beside the lines-added (LA) baseline.

Needs scikit-learn and numpy (`pip install scikit-learn numpy`).
Usage:
  blastradius eval risk ../shared/corpus/risk-dev --features-csv /tmp/risk.csv
  python3 scripts/risk_ceiling.py /tmp/risk.csv
"""
import csv
import sys

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold

from ceiling_common import standardised_scores

rows = list(csv.DictReader(open(sys.argv[1])))
names = [k for k in rows[0] if k not in ("id", "repo", "bug", "added")]
X = np.array([[float(r[f]) for f in names] for r in rows])
y = np.array([int(r["bug"]) for r in rows])
repo = np.array([r["repo"] for r in rows])


def score(make, tr, te):
    return standardised_scores(make, X, y, tr, te, 5)


def kfold(make):
    s = np.zeros(len(y))
    for tr, te in StratifiedKFold(5, shuffle=True, random_state=0).split(X, y):
        s[te] = score(make, tr, te)
    return round(roc_auc_score(y, s), 3)


def cross_repo(make):
    out = {}
    for rp in sorted(set(repo)):
        te = repo == rp
        out[rp.split("/")[1]] = round(roc_auc_score(y[te], score(make, ~te, te)), 3)
    return out


la = X[:, names.index("la")]
print("LA baseline:", round(roc_auc_score(y, la), 3),
      {rp.split("/")[1]: round(roc_auc_score(y[repo == rp], la[repo == rp]), 3) for rp in sorted(set(repo))})
models = [(f"logistic C={c}", (lambda c=c: LogisticRegression(C=c, max_iter=5000))) for c in (0.01, 0.1, 1)]
models += [(f"boosted trees depth {d}", (lambda d=d: HistGradientBoostingClassifier(
    max_depth=d, learning_rate=0.05, max_iter=300, l2_regularization=1.0))) for d in (2, 3)]
for name, make in models:
    print(f"{name}: 5-fold {kfold(make)}, train on the other repository {cross_repo(make)}")
