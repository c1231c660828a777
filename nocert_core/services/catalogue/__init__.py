"""The exemption catalogue (R1, R3): adjustments, files, modes, the demo catalogue, guidance."""
