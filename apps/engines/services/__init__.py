"""Engine services: runs (start, execute, cancel), schedules and the actuarial engines."""
