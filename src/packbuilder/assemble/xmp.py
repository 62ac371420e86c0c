"""The pack's XMP metadata: title, subject, author, language, and the PDF/UA claim.

The catalog's ``/Metadata`` stream repeats the document information (title,
subject, author, keywords, producer) in XMP, where PDF/UA requires the title
(``dc:title``) and where a file claims PDF/UA conformance (``pdfuaid:part``).
The pack claims it only when every page's content is tagged or an artifact
(:attr:`~.structure.StructureWriter.fully_tagged`). The packet has no dates
unless the metadata has one, so the same spec gives the same bytes.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from pypdf.generic import NameObject

from .objects import Stream
from .spec import PackMetadata

_PDFUA_SCHEMA = """
   <pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
    <pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
    <pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
    <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
    <pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
     <pdfaProperty:name>part</pdfaProperty:name>
     <pdfaProperty:valueType>Integer</pdfaProperty:valueType>
     <pdfaProperty:category>internal</pdfaProperty:category>
     <pdfaProperty:description>Which part of ISO 14289 is followed</pdfaProperty:description>
    </rdf:li></rdf:Seq></pdfaSchema:property>
   </rdf:li></rdf:Bag></pdfaExtension:schemas>"""


_NAMESPACES = """
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/\""""
_PDFUA_NAMESPACES = """
    xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"
    xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
    xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
    xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#\""""


def xmp_packet(meta: PackMetadata, producer: str, *, pdfua: bool, created: str = "") -> bytes:
    """The XMP packet of a pack; ``created`` is an ISO 8601 date-time or empty."""
    language = escape(meta.language or "x-default")
    fields = [
        f'   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(meta.title)}</rdf:li>'
        "</rdf:Alt></dc:title>",
        f'   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{escape(meta.subject)}'
        "</rdf:li></rdf:Alt></dc:description>",
        f"   <dc:creator><rdf:Seq><rdf:li>{escape(meta.author)}</rdf:li></rdf:Seq></dc:creator>",
        f"   <dc:language><rdf:Bag><rdf:li>{language}</rdf:li></rdf:Bag></dc:language>",
        "   <dc:format>application/pdf</dc:format>",
        f"   <pdf:Producer>{escape(producer)}</pdf:Producer>",
        f"   <xmp:CreatorTool>{escape(meta.creator)}</xmp:CreatorTool>",
    ]
    if meta.keywords:
        fields.append(f"   <pdf:Keywords>{escape(meta.keywords)}</pdf:Keywords>")
    if created:
        fields.append(f"   <xmp:CreateDate>{created}</xmp:CreateDate>")
        fields.append(f"   <xmp:ModifyDate>{created}</xmp:ModifyDate>")
    if pdfua:
        fields.append("   <pdfuaid:part>1</pdfuaid:part>")
        fields.append(_PDFUA_SCHEMA)
    body = "\n".join(fields)
    namespaces = _NAMESPACES + (_PDFUA_NAMESPACES if pdfua else "")
    packet = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""{namespaces}>
{body}
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
    return packet.encode("utf-8")


def metadata_stream(packet: bytes) -> Stream:
    """The ``/Metadata`` stream (not compressed, so that any tool can find the packet)."""
    return Stream({"/Type": NameObject("/Metadata"), "/Subtype": NameObject("/XML")}, packet)
