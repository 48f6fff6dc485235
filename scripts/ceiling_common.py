"""Shared by scripts/authorship_ceiling.py and scripts/risk_ceiling.py."""
import numpy as np
from sklearn.preprocessing import StandardScaler


def standardised_scores(make, X, y, tr, te, clip):
    """Fit `make()` on rows `tr` of X (standardised, z clipped to ±clip,
    as the shipped models are) and score rows `te`."""
    sc = StandardScaler().fit(X[tr])
    z = lambda m: np.clip(sc.transform(m), -clip, clip)
    m = make().fit(z(X[tr]), y[tr])
    if hasattr(m, "decision_function"):
        return m.decision_function(z(X[te]))
    return m.predict_proba(z(X[te]))[:, 1]
