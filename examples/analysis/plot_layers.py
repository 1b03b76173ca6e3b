# Stacks the layers.csv of every job under the current folder (for example artifacts/, or folders copied from
# several machines) and plots log10 of the weight-gradient norm against layer, one figure per configuration and a
# line per epoch. Needs pandas and matplotlib (Debian: python3-pandas python3-matplotlib).
#   cd artifacts && python3 ../examples/analysis/plot_layers.py
import glob, numpy as np, pandas as pd, matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt

files = [f for f in glob.glob("**/layers.csv", recursive=True) if "latest" not in f.split("/")]  # each run folder once
layers = pd.concat(pd.read_csv(f) for f in files)
spec = [c for c in layers.columns if c not in ("epoch", "layer", "kind", "metric", "mean", "min", "max")]
# An empty cell means "does not apply" (sigma_w2 under Glorot, momentum under Adam): keep those rows in groups.
print(layers.groupby(spec, dropna=False).size().rename("rows"))
grads = layers[(layers.metric == "weight_grad_norm") & layers.complete]
for (config, spec_id), runs in grads.groupby(["configuration", "spec_id"]):
    plt.figure()
    for epoch, e in runs.groupby("epoch"):
        plt.plot(e.layer, np.log10(e["mean"]), label=f"epoch {epoch}")
    plt.xlabel("layer"); plt.ylabel("log10 ‖∂L/∂W‖"); plt.title(f"{config} ({spec_id})"); plt.legend()
    plt.savefig(f"{config}-{spec_id}.png")
