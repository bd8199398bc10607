"""Trains scikit-learn's LogisticRegression on the numeric columns of a CSV and writes it as ONNX with onnx.helper.

Escala's command step runs it with ESCALA_DATA (the CSV), ESCALA_OUTPUT (where model.onnx and metrics.json go),
ESCALA_LABEL and ESCALA_POSITIVE. The graph takes one float input [N, F] (the numeric columns in file order) and
returns `probability` [N, 1], the probability of the positive class.
"""
import csv
import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.preprocessing import StandardScaler

data, output = os.environ["ESCALA_DATA"], os.environ["ESCALA_OUTPUT"]
label, positive = os.environ["ESCALA_LABEL"], os.environ["ESCALA_POSITIVE"]
with open(data, newline="") as f:
    rows = list(csv.reader(f))
header, body = rows[0], rows[1:]
target = header.index(label)


def numeric(i):
    try:
        [float(r[i]) for r in body if r[i] != ""]
        return True
    except ValueError:
        return False


features = [i for i in range(len(header)) if i != target and numeric(i)]
x = np.array([[float(r[i]) for i in features] for r in body], dtype=np.float32)
y = np.array([1 if r[target] == positive else 0 for r in body])
print(f"training on {len(body)} rows, features {[header[i] for i in features]}", flush=True)
scaler = StandardScaler().fit(x)
model = LogisticRegression(max_iter=500).fit(scaler.transform(x), y)
auc = roc_auc_score(y, model.predict_proba(scaler.transform(x))[:, 1])

f_count = len(features)
graph = helper.make_graph(
    [
        helper.make_node("Sub", ["input", "mean"], ["centred"]),
        helper.make_node("Div", ["centred", "scale"], ["scaled"]),
        helper.make_node("MatMul", ["scaled", "coef"], ["margin0"]),
        helper.make_node("Add", ["margin0", "intercept"], ["margin"]),
        helper.make_node("Sigmoid", ["margin"], ["probability"]),
    ],
    "sklearn_logistic",
    [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", f_count])],
    [helper.make_tensor_value_info("probability", TensorProto.FLOAT, ["N", 1])],
    [
        helper.make_tensor("mean", TensorProto.FLOAT, [f_count], scaler.mean_.astype(np.float32).tolist()),
        helper.make_tensor("scale", TensorProto.FLOAT, [f_count], scaler.scale_.astype(np.float32).tolist()),
        helper.make_tensor("coef", TensorProto.FLOAT, [f_count, 1], model.coef_.astype(np.float32).reshape(-1).tolist()),
        helper.make_tensor("intercept", TensorProto.FLOAT, [1], model.intercept_.astype(np.float32).tolist()),
    ],
)
onnx_model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="sklearn-onnx-helper")
onnx_model.ir_version = 8
onnx.checker.check_model(onnx_model)
onnx.save(onnx_model, os.path.join(output, "model.onnx"))
with open(os.path.join(output, "metrics.json"), "w") as f:
    json.dump({"train_auc": auc, "rows": len(body)}, f)
print(f"train auc {auc:.4f}", flush=True)
sys.exit(0)
