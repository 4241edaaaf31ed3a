namespace Backprop.Cli.Tests.Explain;

/// <summary>
/// The classic tutorial's 2-2-2 network (shared/seeds/003) trained by true gradient descent on plain doubles,
/// biases fixed, written out scalar by scalar: an independent reference for the trace's training figures.
/// </summary>
internal static class PlainClassic
{
    private static double Sigma(double z) => 1 / (1 + Math.Exp(-z));

    /// <summary>E = Σ ½(t − o)² after <paramref name="steps"/> updates with η = .5.</summary>
    public static double ErrorAfter(int steps)
    {
        double i1 = .05, i2 = .10, b1 = .35, b2 = .60, t1 = .01, t2 = .99, rate = .5;
        double w1 = .15, w2 = .20, w3 = .25, w4 = .30, w5 = .40, w6 = .45, w7 = .50, w8 = .55;
        for (int step = 0; step < steps; step++)
        {
            double h1 = Sigma(w1 * i1 + w2 * i2 + b1), h2 = Sigma(w3 * i1 + w4 * i2 + b1);
            double o1 = Sigma(w5 * h1 + w6 * h2 + b2), o2 = Sigma(w7 * h1 + w8 * h2 + b2);
            double d1 = (o1 - t1) * o1 * (1 - o1), d2 = (o2 - t2) * o2 * (1 - o2);
            // Hidden deltas use the output weights before this step's update: all gradients first.
            double e1 = (d1 * w5 + d2 * w7) * h1 * (1 - h1), e2 = (d1 * w6 + d2 * w8) * h2 * (1 - h2);
            w5 -= rate * d1 * h1; w6 -= rate * d1 * h2; w7 -= rate * d2 * h1; w8 -= rate * d2 * h2;
            w1 -= rate * e1 * i1; w2 -= rate * e1 * i2; w3 -= rate * e2 * i1; w4 -= rate * e2 * i2;
        }
        double g1 = Sigma(w1 * i1 + w2 * i2 + b1), g2 = Sigma(w3 * i1 + w4 * i2 + b1);
        double out1 = Sigma(w5 * g1 + w6 * g2 + b2), out2 = Sigma(w7 * g1 + w8 * g2 + b2);
        return 0.5 * (t1 - out1) * (t1 - out1) + 0.5 * (t2 - out2) * (t2 - out2);
    }
}
