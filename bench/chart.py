"""Bar chart of MB/s per tool, one panel per dataset and link shape, from results.json (bench/run.sh calls it)."""
import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main(results_path, png_path):
    with open(results_path) as f:
        results = json.load(f)
    rows = [r for r in results["rows"] if isinstance(r["megabytesPerSecond"], (int, float))]
    links = list(dict.fromkeys(r["link"] for r in rows))
    datasets = list(dict.fromkeys(r["dataset"] for r in rows))
    fig, axes = plt.subplots(max(1, len(links)), max(1, len(datasets)),
                             figsize=(6 * max(1, len(datasets)), 6 * max(1, len(links))), squeeze=False)
    panels = [(ax, link, dataset) for row, link in zip(axes, links) for ax, dataset in zip(row, datasets)]
    for ax, link, dataset in panels:
        mine = sorted((r for r in rows if r["dataset"] == dataset and r["link"] == link),
                      key=lambda r: r["megabytesPerSecond"])
        labels = [f'{r["tool"]} [{r["source"]}]' for r in mine]
        colors = ["tab:green" if r["tool"].startswith("modelprefetch")
                  else "tab:blue" if r["tool"].startswith("ceiling") else "tab:gray" for r in mine]
        ax.barh(labels, [r["megabytesPerSecond"] for r in mine], color=colors)
        ax.set_title(f"{dataset} ({link} link)")
        ax.set_xlabel("MB/s (median)")
        ax.tick_params(axis="y", labelsize=7)
    fig.suptitle("; ".join(f"{k}: {v}" for k, v in results["settings"].items() if k.startswith("link ")), fontsize=9)
    fig.tight_layout()
    fig.savefig(png_path, dpi=110)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
