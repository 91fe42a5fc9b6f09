"""PM4Py's side of docs/mining.md "Precision against PM4Py": the inductive miner's net and its
token-based ETC precision on the four shared logs, given the log both as PM4Py reads it (a
DataFrame) and as an EventLog object, and each net written as PNML for `opsdojo mine check`.

    python3 bench/pm4py/precision.py PM4PY_SOURCE_DIR [OUT_DIR]

Not part of the tests: it needs PM4Py (a source checkout is enough) with pandas, numpy, scipy,
networkx and lxml importable.
"""
import os
import sys
import time

source = sys.argv[1] if len(sys.argv) > 1 else None
out = sys.argv[2] if len(sys.argv) > 2 else "."
if source:
    sys.path.insert(0, source)
import pm4py  # noqa: E402

data = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data", "eventlogs")
print(f"pm4py {pm4py.__version__}")
for name in ["running-example.xes.gz", "repair-example.xes.gz", "receipt.xes.gz", "roadtraffic-100-traces.xes"]:
    frame = pm4py.read_xes(os.path.join(data, name))
    net, initial, final = pm4py.discover_petri_net_inductive(frame, noise_threshold=0.0)
    started = time.process_time()
    on_frame = pm4py.precision_token_based_replay(frame, net, initial, final)
    cpu = time.process_time() - started
    on_log = pm4py.precision_token_based_replay(pm4py.convert_to_event_log(frame), net, initial, final)
    stem = name.split(".")[0]
    pm4py.write_pnml(net, initial, final, os.path.join(out, f"pm4py-{stem}.pnml"))
    print(f"{stem}\tDataFrame {on_frame:.4f}\tEventLog {on_log:.4f}\tcpu {cpu:.2f} s")
