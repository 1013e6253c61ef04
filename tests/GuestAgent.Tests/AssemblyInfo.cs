// The namespace tests share the CPU with a daemon and an agent process each; one class at a time keeps them honest.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
