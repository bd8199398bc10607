using System.Runtime.CompilerServices;

// Kernels write every element of the buffers they use; zeroing stack buffers first would only cost time.
[module: SkipLocalsInit]
