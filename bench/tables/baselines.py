"""scikit-learn baselines for backprop's tables (issue 15), run with Debian's python3-sklearn (1.2.1):

    /usr/bin/python3 bench/tables/baselines.py     # from the repository root

Writes the train/test splits it uses to bench/tables/out/ (so backprop trains and evaluates on the same rows) and prints
the scikit-learn figures as JSON lines. compare.sh then trains backprop on the same files.
  - diabetes: data/diabetes/diabetes.csv (442 rows), 80/20 split with seed 0; best test R² of Ridge (alpha chosen by CV)
    and MLPRegressor, both on standardised features, MLPRegressor with the target standardised as backprop does.
  - mixed: a generated table (3,000 rows; numbers with missing cells, two text columns with missing cells, a 3-class label),
    80/20 split with seed 0; SimpleImputer + OneHotEncoder + StandardScaler + MLPClassifier test accuracy.
"""
import csv, json, os, random
import numpy as np
from sklearn.compose import ColumnTransformer, TransformedTargetRegressor
from sklearn.impute import SimpleImputer
from sklearn.linear_model import RidgeCV
from sklearn.metrics import accuracy_score, r2_score
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import make_pipeline, Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "out")
ROOT = os.path.dirname(os.path.dirname(HERE))
os.makedirs(OUT, exist_ok=True)


def write(path, header, rows):
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def split(rows, seed):
    order = list(range(len(rows)))
    random.Random(seed).shuffle(order)
    held = round(len(rows) * 0.2)
    return [rows[i] for i in sorted(order[held:])], [rows[i] for i in sorted(order[:held])]


def diabetes():
    with open(os.path.join(ROOT, "data", "diabetes", "diabetes.csv")) as f:
        reader = csv.reader(f)
        header = next(reader)
        rows = list(reader)
    train, test = split(rows, 0)
    write(os.path.join(OUT, "diabetes-train.csv"), header, train)
    write(os.path.join(OUT, "diabetes-test.csv"), header, test)
    xtr = np.array([[float(v) for v in r[:-1]] for r in train]); ytr = np.array([float(r[-1]) for r in train])
    xte = np.array([[float(v) for v in r[:-1]] for r in test]); yte = np.array([float(r[-1]) for r in test])
    ridge = make_pipeline(StandardScaler(), RidgeCV(alphas=np.logspace(-3, 3, 13))).fit(xtr, ytr)
    results = {"ridge_r2": r2_score(yte, ridge.predict(xte))}
    mlp_r2 = []
    for seed in range(3):
        mlp = TransformedTargetRegressor(
            regressor=make_pipeline(StandardScaler(), MLPRegressor(hidden_layer_sizes=(256,), max_iter=2000, early_stopping=True, random_state=seed)),
            transformer=StandardScaler()).fit(xtr, ytr)
        mlp_r2.append(r2_score(yte, mlp.predict(xte)))
    results["mlp_r2_mean_of_3_seeds"] = float(np.mean(mlp_r2))
    results["best_r2"] = max(results["ridge_r2"], results["mlp_r2_mean_of_3_seeds"])
    print(json.dumps({"data": "diabetes", "train_rows": len(train), "test_rows": len(test), **results}))


def mixed():
    rng = random.Random(7)
    cities = ["Leeds", "York", "Hull", "Bath", "Ely", "Wells"]
    colours = ["red", "green", "blue", "grey"]
    rows = []
    for i in range(3000):
        a, b, c = rng.gauss(0, 1), rng.gauss(5, 2), rng.uniform(0, 100)
        city, colour = rng.choice(cities), rng.choice(colours)
        score = a + 0.5 * (b - 5) + (1.2 if city in ("Leeds", "York") else -0.6 if city == "Ely" else 0) + (0.8 if colour == "red" else 0) + 0.01 * (c - 50) + rng.gauss(0, 0.6)
        label = "low" if score < -0.5 else "high" if score > 0.9 else "mid"
        cells = [f"{a:.4f}", f"{b:.4f}", f"{c:.2f}", city, colour]
        for j in range(5):
            if rng.random() < 0.08: cells[j] = rng.choice(["", "NA", "?"])
        rows.append([str(i)] + cells + [label])
    header = ["id", "a", "b", "c", "city", "colour", "label"]
    train, test = split(rows, 0)
    write(os.path.join(OUT, "mixed-train.csv"), header, train)
    write(os.path.join(OUT, "mixed-test.csv"), header, test)

    def frame(part):
        missing = {"", "NA", "?"}
        num = np.array([[np.nan if r[j] in missing else float(r[j]) for j in (1, 2, 3)] for r in part])
        cat = np.array([[None if r[j] in missing else r[j] for j in (4, 5)] for r in part], dtype=object)
        return np.concatenate([num, cat], axis=1), np.array([r[6] for r in part])

    xtr, ytr = frame(train)
    xte, yte = frame(test)
    pre = ColumnTransformer([
        ("num", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), [0, 1, 2]),
        ("cat", make_pipeline(SimpleImputer(strategy="most_frequent", missing_values=None), OneHotEncoder(handle_unknown="ignore")), [3, 4]),
    ])
    accuracies = []
    for seed in range(3):
        model = Pipeline([("pre", pre), ("mlp", MLPClassifier(hidden_layer_sizes=(256,), max_iter=500, early_stopping=True, random_state=seed))])
        model.fit(xtr, ytr)
        accuracies.append(accuracy_score(yte, model.predict(xte)))
    print(json.dumps({"data": "mixed", "train_rows": len(train), "test_rows": len(test), "pipeline_accuracy_mean_of_3_seeds": float(np.mean(accuracies)), "accuracies": accuracies}))


if __name__ == "__main__":
    diabetes()
    mixed()
