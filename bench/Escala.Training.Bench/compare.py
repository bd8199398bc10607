"""The Python side of the training benchmark: scikit-learn's HistGradientBoostingClassifier and XGBoost on the same
train/test CSV files, categorical columns encoded for each (ordinal + native categorical support for HGB, one-hot for
XGBoost), 100 trees / iterations, learning rate 0.1, 31 leaves, as the built-in LightGBM trainer. Prints one line per
library: name, training seconds, holdout AUC."""
import csv
import sys
import time

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder


def load(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


header, train = load(sys.argv[1])
_, test = load(sys.argv[2])
target = header.index("income")
features = [i for i in range(len(header)) if i != target]


def is_numeric(i):
    try:
        [float(r[i]) for r in train]
        return True
    except ValueError:
        return False


numeric = [i for i in features if is_numeric(i)]
categorical = [i for i in features if i not in numeric]
y_train = np.array([r[target] == ">50K" for r in train], dtype=int)
y_test = np.array([r[target] == ">50K" for r in test], dtype=int)


def columns(rows, idx, kind):
    return np.array([[r[i] for i in idx] for r in rows], dtype=kind)


num_train, num_test = columns(train, numeric, float), columns(test, numeric, float)
cat_train, cat_test = columns(train, categorical, object), columns(test, categorical, object)

ordinal = OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1).fit(cat_train)
x_train = np.hstack([num_train, ordinal.transform(cat_train)])
x_test = np.hstack([num_test, ordinal.transform(cat_test)])
mask = [False] * len(numeric) + [True] * len(categorical)
started = time.perf_counter()
hgb = HistGradientBoostingClassifier(max_iter=100, learning_rate=0.1, max_leaf_nodes=31, min_samples_leaf=20,
                                     categorical_features=mask, early_stopping=False, random_state=1).fit(x_train, y_train)
took = time.perf_counter() - started
print(f"scikit-learn HistGradientBoostingClassifier {took:.2f} {roc_auc_score(y_test, hgb.predict_proba(x_test)[:, 1]):.4f}")

try:
    import xgboost
except ImportError:
    print("xgboost missing - -")
    sys.exit(0)
onehot = OneHotEncoder(handle_unknown="ignore").fit(cat_train)
from scipy.sparse import hstack, csr_matrix  # noqa: E402 (scipy comes with scikit-learn)
xo_train = hstack([csr_matrix(num_train), onehot.transform(cat_train)]).tocsr()
xo_test = hstack([csr_matrix(num_test), onehot.transform(cat_test)]).tocsr()
started = time.perf_counter()
xgb = xgboost.XGBClassifier(n_estimators=100, learning_rate=0.1, max_leaves=31, grow_policy="lossguide", tree_method="hist",
                            random_state=1).fit(xo_train, y_train)
took = time.perf_counter() - started
print(f"XGBoost XGBClassifier {took:.2f} {roc_auc_score(y_test, xgb.predict_proba(xo_test)[:, 1]):.4f}")
