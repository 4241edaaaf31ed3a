namespace Backprop.Kernels;

/// <summary>A split kernel whose pieces are a delegate's calls: <c>body(piece)</c>.</summary>
internal sealed class DelegateJob(Action<int> body, int pieces) : KernelJob(pieces)
{
    protected override void RunPiece(int piece) => body(piece);
}
