"""python -m coordgap"""

from .cli import main

main()
