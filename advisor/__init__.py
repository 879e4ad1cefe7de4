"""gitlab-perf-advisor: why a self-managed GitLab is slow, and what to do about it."""

__version__ = "0.1.0"
