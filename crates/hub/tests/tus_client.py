"""Uploads a file to the hub with tuspy, a standard tus client this project did not write.

Usage: tus_client.py HUB_FILES_URL TOKEN FILE
Prints the upload's URL.
"""
import sys

from tusclient import client

url, token, path = sys.argv[1:4]
tus = client.TusClient(url, headers={"Authorization": f"Bearer {token}"})
uploader = tus.uploader(
    path,
    chunk_size=64 * 1024,
    metadata={"filename": "giay-chung-sinh.jpg", "filetype": "image/jpeg"},
    upload_checksum=True,
)
uploader.upload()
print(uploader.url)
