#!/usr/bin/python3
"""All-reduce bandwidth of PyTorch's gloo backend on loopback, the peer of AllReduceBench.java.

Usage: /usr/bin/python3 bench/allreduce/gloo_allreduce.py --world 2 --sizes-mib 1,4,16,64,256

Spawns W processes (torch.multiprocessing), each all-reducing a float32 tensor of each size with
torch.distributed.all_reduce(SUM). Prints one CSV line per size, the same metric as the Java side:
gloo,W,bytes,iterations,seconds_per_op,algbw,busbw,cpu_s_per_op with GB/s = 10^9 bytes/s,
algbw = bytes / time, busbw = algbw * 2(W-1)/W, time = the slowest rank's mean over the timed
iterations (after warm-up iterations and a barrier), cpu_s_per_op = process CPU time (all threads,
user and system) per operation averaged over ranks. Needs Debian's python3-torch
(apt-get install -y python3-torch).
"""
import argparse
import os
import socket
import time

import torch
import torch.distributed as dist
import torch.multiprocessing as mp


# The same warm-up and counts as AllReduceBench.java: 100 all-reduces of 4 MiB first.
WARM_UP_FLOATS = 1 << 20
WARM_UP_ITERATIONS = 100


def iterations(mib):
    return 50 if mib <= 1 else 20 if mib <= 4 else 10 if mib <= 16 else 5 if mib <= 64 else 3


def warmups(mib):
    return 10 if mib <= 1 else 5 if mib <= 4 else 3 if mib <= 16 else 1


def run(rank, world, port, sizes, threads):
    torch.set_num_threads(threads)
    dist.init_process_group(
        "gloo", init_method=f"tcp://127.0.0.1:{port}", rank=rank, world_size=world)
    warm_up = torch.ones(WARM_UP_FLOATS, dtype=torch.float32)
    for _ in range(WARM_UP_ITERATIONS):
        dist.all_reduce(warm_up)
    for mib in sizes:
        nbytes = mib << 20
        data = torch.ones(nbytes // 4, dtype=torch.float32)
        for _ in range(warmups(mib)):
            dist.all_reduce(data)
        dist.barrier()
        n = iterations(mib)
        cpu_start = time.process_time()
        start = time.perf_counter()
        for _ in range(n):
            dist.all_reduce(data)
        mine = torch.tensor([(time.perf_counter() - start) / n], dtype=torch.float64)
        my_cpu = torch.tensor([(time.process_time() - cpu_start) / n], dtype=torch.float64)
        dist.all_reduce(mine, op=dist.ReduceOp.MAX)
        dist.all_reduce(my_cpu)
        seconds = mine.item()
        cpu_per_rank = my_cpu.item() / world
        algbw = nbytes / seconds / 1e9
        busbw = algbw * 2 * (world - 1) / world
        if rank == 0:
            print(f"gloo,{world},{nbytes},{n},{seconds:.6f},{algbw:.3f},{busbw:.3f},{cpu_per_rank:.6f}",
                  flush=True)
    dist.destroy_process_group()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--world", type=int, default=2)
    parser.add_argument("--sizes-mib", default="1,4,16,64,256")
    parser.add_argument("--threads", type=int, default=1,
                        help="torch intra-op threads per process (gloo reduces on its own)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes_mib.split(",")]
    mp.spawn(run, args=(args.world, free_port(), sizes, args.threads), nprocs=args.world)


if __name__ == "__main__":
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    main()
