namespace Experiments.Data;

/// <summary>Seeded selections that keep each class's share of the data.</summary>
public static class Stratified
{
    /// <summary><paramref name="count"/> indices, each class represented in proportion (largest remainder).</summary>
    public static int[] Subset(byte[] labels, int count, int seed)
    {
        var byClass = ShuffledByClass(labels, seed);
        var quotas = Apportion(byClass.Select(c => c.Count).ToArray(), count);
        return byClass.SelectMany((members, c) => members.Take(quotas[c])).Order().ToArray();
    }

    /// <summary>Train and test indices; each class gives round(fraction × its count) to the test set.</summary>
    public static (int[] Train, int[] Test) Split(byte[] labels, double testFraction, int seed)
    {
        var byClass = ShuffledByClass(labels, seed);
        var test = new List<int>();
        var train = new List<int>();
        foreach (var members in byClass)
        {
            int testCount = (int)Math.Round(members.Count * testFraction, MidpointRounding.AwayFromZero);
            test.AddRange(members.Take(testCount));
            train.AddRange(members.Skip(testCount));
        }
        return (train.Order().ToArray(), test.Order().ToArray());
    }

    static List<List<int>> ShuffledByClass(byte[] labels, int seed)
    {
        var random = new Random(seed);
        var byClass = Enumerable.Range(0, labels.Length == 0 ? 0 : labels.Max() + 1).Select(_ => new List<int>()).ToList();
        for (int i = 0; i < labels.Length; i++) byClass[labels[i]].Add(i);
        foreach (var members in byClass)
        {
            var shuffled = members.ToArray();
            random.Shuffle(shuffled);
            members.Clear();
            members.AddRange(shuffled);
        }
        return byClass;
    }

    static int[] Apportion(int[] sizes, int count)
    {
        int total = sizes.Sum();
        var exact = sizes.Select(s => (double)s * count / total).ToArray();
        var quotas = exact.Select(e => (int)Math.Floor(e)).ToArray();
        foreach (int c in Enumerable.Range(0, sizes.Length).OrderByDescending(c => exact[c] - quotas[c]).ThenBy(c => c)
                     .Take(count - quotas.Sum()))
            quotas[c]++;
        return quotas;
    }
}
