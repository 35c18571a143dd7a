"""The percentile the latency benchmarks report: the nearest rank, no interpolation."""


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]
