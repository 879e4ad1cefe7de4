"""Build hook: ship the top-level rule and baseline packs inside the wheel."""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

PACKS = ("rules", "baselines")


class BuildWithPacks(build_py):
    """Copies rules/ and baselines/ into advisor/_packs/ of the built package."""

    def run(self) -> None:
        super().run()
        root = Path(__file__).parent
        for name in PACKS:
            source = root / name
            if source.is_dir():
                target = Path(self.build_lib, "advisor", "_packs", name)
                shutil.copytree(source, target, dirs_exist_ok=True)


setup(cmdclass={"build_py": BuildWithPacks})
