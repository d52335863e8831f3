"""Building editions: projects, the build cache, parallel builds, output folders, progress, proofs."""
