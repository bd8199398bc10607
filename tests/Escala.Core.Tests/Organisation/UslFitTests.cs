using Escala.Core.Capacity;

namespace Escala.Core.Tests.Organisation;

public sealed class UslFitTests
{
    // The published test vector of codahale/usl-rs (src/lib.rs, test `build`): 32 measurements whose fit is
    // σ = 0.02671591, κ = 7.690945e-4, λ = 995.6486, peak at N = 35 with X = 12341.7454 (relative accuracy 1e-5).
    private static readonly (int N, double X)[] Measurements =
    [
        (1, 955.16), (2, 1878.91), (3, 2688.01), (4, 3548.68), (5, 4315.54), (6, 5130.43), (7, 5931.37), (8, 6531.08),
        (9, 7219.8), (10, 7867.61), (11, 8278.71), (12, 8646.7), (13, 9047.84), (14, 9426.55), (15, 9645.37), (16, 9897.24),
        (17, 10097.6), (18, 10240.5), (19, 10532.39), (20, 10798.52), (21, 11151.43), (22, 11518.63), (23, 11806.0), (24, 12089.37),
        (25, 12075.41), (26, 12177.29), (27, 12211.41), (28, 12158.93), (29, 12155.27), (30, 12118.04), (31, 12140.4), (32, 12074.39),
    ];

    [Fact]
    public void Fit_of_the_published_usl_rs_vector_matches_its_coefficients_peak_and_throughput()
    {
        var model = UslFit.Fit([.. Measurements.Select(m => new LoadPoint(m.N, m.X))]);

        Assert.Equal(0.02671591, model.Sigma, 0.02671591 * 1e-4);
        Assert.Equal(7.690945e-4, model.Kappa, 7.690945e-4 * 1e-4);
        Assert.Equal(995.6486, model.Lambda, 995.6486 * 1e-5);
        Assert.Equal(35, model.PeakConcurrency);
        Assert.Equal(12341.7454, model.PeakThroughput, 12341.7454 * 1e-5);
    }

    [Fact]
    public void Fit_recovers_the_coefficients_of_noise_free_points()
    {
        var truth = new UslModel(0.05, 0.002, 120);
        var model = UslFit.Fit([.. Enumerable.Range(1, 16).Select(n => new LoadPoint(n, truth.ThroughputAt(n)))]);

        Assert.Equal(0.05, model.Sigma, 1e-6);
        Assert.Equal(0.002, model.Kappa, 1e-8);
        Assert.Equal(120, model.Lambda, 1e-4);
        // floor(sqrt(0.95 / 0.002)) = floor(21.79) = 21.
        Assert.Equal(21, model.PeakConcurrency);
    }

    [Fact]
    public void Fewer_than_three_concurrency_levels_are_refused()
    {
        Assert.Throws<ArgumentException>(() => UslFit.Fit([new LoadPoint(1, 10), new LoadPoint(2, 19)]));
    }

    [Fact]
    public void Nodes_needed_divide_the_peak_load_by_each_nodes_peak_less_headroom()
    {
        // 1000/s at 400/s per node with 30 % headroom: 1000 / 280 = 3.57 -> 4 nodes.
        Assert.Equal(4, NodePlan.NodesNeeded(1000, 400, 0.3));
        Assert.Equal(0, NodePlan.NodesNeeded(0, 400));
    }
}
