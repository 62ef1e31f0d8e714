"""Prints the pass pipeline recorded in a compiled model's metadata JSON."""
import json
import sys

data = open(sys.argv[1], "rb").read()
start = data.index(b'{"abi_version"')
end = data.index(b"\0", start)
print(json.loads(data[start:end])["compiler"]["pipeline"])
