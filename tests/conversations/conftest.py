import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests import makers


@pytest.fixture
def buyer(db):
    return makers.BuyerMaker()


@pytest.fixture
def factory(db):
    return makers.FactoryMaker()


@pytest.fixture
def outsider_factory(db):
    return makers.FactoryMaker()


@pytest.fixture
def outsider_buyer(db):
    return makers.BuyerMaker()


@pytest.fixture
def conversation(buyer, factory):
    from conversations.services import conversation_start

    return conversation_start(actor=buyer.user, buyer=buyer, factory=factory)


def png(width: int = 40, height: int = 30, name: str = "样品.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 80, 20)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str = "报价单.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")
