# Build PSEA Desk for Windows: a one-folder bundle with PyInstaller, then an installer with Inno Setup.
# Requirements on the build machine: Python 3.11+ (python.org), Inno Setup 6 (iscc.exe on PATH).
# Usage (PowerShell, from the repository root):  powershell -ExecutionPolicy Bypass -File packaging\windows\build.ps1
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..\..")
if (-not (Test-Path .venv)) { python -m venv .venv }
.\.venv\Scripts\python -m pip install -q -e ".[dev]" "pyinstaller>=6.10,<7"
.\.venv\Scripts\python -m i18n.tools compile
.\.venv\Scripts\python -m PyInstaller --noconfirm --clean --distpath dist --workpath build packaging\psea-desk.spec
iscc packaging\windows\psea-desk.iss
Write-Host "Installer: dist\PSEA-Desk-Setup.exe"
