"""Environment facts: hardware, storage, strain and configuration of GitLab nodes."""
