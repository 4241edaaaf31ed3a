# Writes MNIST training digits 0 and 1 (the subset's IDX order) as 28x28 PGM (grey) and PPM (tinted) files.
import gzip, sys
data = gzip.open(sys.argv[1] + '/train-images-idx3-ubyte.gz').read()
for index in (0, 1):
    pixels = data[16 + 784 * index: 16 + 784 * (index + 1)]
    open(f'digit{index}.pgm', 'wb').write(b'P5 28 28 255\n' + pixels)
    # Tint: R = v, G = v // 2, B = 255 - v: one colour per grey level, each channel different.
    open(f'digit{index}-tinted.ppm', 'wb').write(b'P6 28 28 255\n' + bytes(c for v in pixels for c in (v, v // 2, 255 - v)))
